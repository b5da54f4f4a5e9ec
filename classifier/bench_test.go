package classifier

import (
	"context"
	"strings"
	"testing"

	"github.com/lurescan/lurescan/features"
)

// advertEN is an ordinary English advert of about 300 words.
const advertEN = `Customer Support Specialist - Riverside Logistics, Kuala Lumpur.
Riverside Logistics is a regional freight forwarder with offices in Kuala Lumpur, Penang and Singapore. We are looking for a Customer Support Specialist to join our growing service team in Bangsar South. You will be the first point of contact for shippers and consignees, answering questions by phone, email and our web portal, tracking shipments across our partner network and resolving delivery exceptions with the operations team.
Responsibilities: respond to customer enquiries within our service levels; update shipment records in our transport management system; coordinate with warehouse and trucking teams to resolve delays; prepare weekly reports on open cases; suggest improvements to our knowledge base and processes.
Requirements: a diploma or degree in any field; at least one year of experience in customer service, preferably in logistics or e-commerce; good written and spoken English and Bahasa Malaysia, Mandarin is an advantage; comfortable with spreadsheets and ticketing tools; a calm and organised way of working with several cases at once.
What we offer: a monthly salary of RM 3,200 to RM 3,800 depending on experience, EPF and SOCSO contributions, medical and dental insurance, fourteen days of annual leave, a hybrid schedule after probation, and a structured training programme during your first two months. Our office is a five-minute walk from the Abdullah Hukum LRT station.
How to apply: send your CV and a short cover letter through the careers page on our website. Shortlisted candidates will be invited to a phone screen, a written exercise and a panel interview with the service manager. We are an equal opportunity employer and we do not charge candidates any fee at any stage of recruitment. Riverside Logistics will never ask you to contact recruiters through personal messaging apps.`

const advertZH = `海外直招！泰国公司招聘网络客服，工作轻松，只需打字聊天回复客户信息。月薪2.5万起另加提成，包吃包住，机票公司报销，落地有专人接机。无需经验，会电脑打字即可，年龄18-35岁，需有护照。名额有限，本周即可出发，有意者加微信详聊。公司在当地经营多年，环境好，宿舍四人间带空调，每天工作八小时，月休四天，工资月结从不拖欠。另招翻译、游戏测试员、直播主播，待遇从优。`

func repeatWords(s string, n int) string {
	words := strings.Fields(s)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[i%len(words)])
	}
	return b.String()
}

func benchClassify(b *testing.B, text string) {
	c := defaultClassifier(b)
	p := &features.Posting{Text: text}
	ctx := context.Background()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Classify(ctx, p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAnalyze(b *testing.B, text string) {
	c := defaultClassifier(b)
	an := c.Model().Analyzer()
	p := &features.Posting{Text: text}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		an.Analyze(p, false)
	}
}

func BenchmarkClassifyEnglish300(b *testing.B)  { benchClassify(b, repeatWords(advertEN, 300)) }
func BenchmarkClassifyEnglish2000(b *testing.B) { benchClassify(b, repeatWords(advertEN, 2000)) }
func BenchmarkClassifyChinese(b *testing.B)     { benchClassify(b, advertZH) }
func BenchmarkAnalyzeEnglish300(b *testing.B)   { benchAnalyze(b, repeatWords(advertEN, 300)) }
func BenchmarkAnalyzeEnglish2000(b *testing.B)  { benchAnalyze(b, repeatWords(advertEN, 2000)) }
func BenchmarkAnalyzeChinese(b *testing.B)      { benchAnalyze(b, advertZH) }

// BenchmarkClassifyParallel scores 300-word adverts from all cores.
func BenchmarkClassifyParallel(b *testing.B) {
	c := defaultClassifier(b)
	p := &features.Posting{Text: repeatWords(advertEN, 300)}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Classify(context.Background(), p, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
