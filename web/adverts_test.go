package web_test

// Test adverts, written for these tests (not taken from the corpus).
const (
	// lureEN is a recruitment lure in English: easy job, free ticket,
	// no experience, age cap, passport, Telegram, hurry.
	lureEN = "URGENT HIRING!! Customer support staff for our office in Bangkok, Thailand. " +
		"Salary 2,500 USD per month plus commission. FREE air ticket, free food and accommodation, " +
		"visa arranged by the company. No experience needed, just basic typing. Age 18-30 only. " +
		"Send a photo of your passport and contact us on Telegram @job_lin_hr today, only 10 places left!"
	// lureZH is a lure in simplified Chinese: Sihanoukville, high pay,
	// free board and ticket, Telegram ("飞机").
	lureZH = "【高薪急招】柬埔寨西港客服专员，月薪15000-30000元，包吃包住，包机票，无需经验，会打字即可，" +
		"年龄18-35岁。护照由公司代办，名额有限，有意者请加飞机 @hr_xg888 详聊！"
	// legitEN is an ordinary job advert.
	legitEN = "Dental nurse wanted at Riverside Family Dental in Leeds. We are looking for a qualified dental nurse " +
		"registered with the GDC to join our friendly practice of four dentists. Salary £24,000 to £27,000 per year " +
		"depending on experience, 28 days holiday and a workplace pension. Monday to Friday, 8:30am to 5:30pm, no " +
		"weekends. Apply through the careers page of our website with your CV and two references; interviews are " +
		"held at the practice."
	// xss tries to run script through the advert.
	xss = `<script>alert(1)</script><img src=x onerror=alert(1)>`
)

// lureENMarks and lureZHMarks are the words the page must mark.
var (
	lureENMarks = []string{"URGENT HIRING", "FREE air ticket", "free food and accommodation", "No experience needed",
		"18-30", "photo of your passport", "Telegram", "@job_lin_hr"}
	lureZHMarks = []string{"柬埔寨", "西港", "包吃包住", "包机票", "无需经验", "名额有限", "加飞机", "@hr_xg888"}
)
