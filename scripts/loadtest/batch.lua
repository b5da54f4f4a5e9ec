-- wrk: POST a batch of 100 ~2 KB adverts per request to /v1/score/batch.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local advert = [[Customer Support Specialist - Riverside Logistics, Kuala Lumpur. We are looking for a Customer Support Specialist to join our growing service team in Bangsar South. You will answer questions by phone, email and our web portal, track shipments across our partner network and resolve delivery exceptions with the operations team. Requirements: a diploma or degree in any field; at least one year of experience in customer service; good written and spoken English and Bahasa Malaysia. What we offer: a monthly salary of RM 3,200 to RM 3,800, EPF and SOCSO contributions, medical insurance and fourteen days of annual leave. Send your CV through the careers page on our website. URGENT hiring!! Chat support for Bangkok, salary $2,000/month, free air ticket, free food and accommodation, no experience needed, age 18-35. Contact Telegram @hr_x]]
local items = {}
for i = 1, 100 do
  items[i] = '"' .. advert .. ' #' .. i .. '"'
end
wrk.body = '{"postings":[' .. table.concat(items, ",") .. '],"top_features":0}'
