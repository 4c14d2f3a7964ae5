/**
 * Seed content for the embedded demo workspace.
 *
 * "Northwind Labs" is an invented 250-person, remote-first software company
 * with offices in Lisbon and Toronto. The documents below form its employee
 * handbook. All names, addresses, e-mail aliases and figures are fictional.
 *
 * 26 documents are visible to the whole workspace; 4 carry an ACL and are only
 * visible to members of the listed group (people-ops, leadership, security).
 */

export interface DemoDocument {
  /** Lowercase slug, [a-z0-9][a-z0-9._-]{0,127}. */
  id: string;
  title: string;
  /** Plain text or light markdown, 150-600 words. */
  text: string;
  /** https://handbook.northwind-labs.example/<path> */
  url: string;
  metadata: Record<string, string | number | boolean>;
  acl?: { users?: string[]; groups?: string[] };
}

const BASE_URL = 'https://handbook.northwind-labs.example';

export const DEMO_DOCUMENTS: readonly DemoDocument[] = [
  {
    id: 'onboarding-checklist',
    title: 'New hire onboarding checklist',
    url: `${BASE_URL}/people/onboarding-checklist`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2026-08-20',
      type: 'checklist',
    },
    text: `# New hire onboarding checklist

Welcome to Northwind Labs. This checklist covers your first 30 days. Your manager and your onboarding buddy have a copy too, and People Operations reviews it with you at the end of week one.

## Before day one
- Sign your contract and the confidentiality agreement in the HR portal.
- Confirm your shipping address so IT can send your laptop. Laptops ship 10 business days before your start date to Portugal and Canada, and 15 business days for other countries.
- Upload your bank details and tax forms (NIF for Portugal, SIN and TD1 forms for Canada).

## Day one
- Join the 10:00 welcome call (Lisbon time) or the 10:00 call (Toronto time), depending on your region.
- Activate your Northwind account, enrol in multi-factor authentication and set up the password manager. IT will not grant access to any other system until MFA is active.
- Join the #welcome, #announcements and #it-help chat channels.
- Meet your onboarding buddy. Buddies are assigned from a different team on purpose.

## Week one
- Complete the mandatory training: security awareness (45 minutes), data protection and GDPR (30 minutes) and the code of conduct (20 minutes). All three must be finished by day 5.
- Read the company values, remote work policy and the travel and expense policy.
- Engineers: request repository access through the access portal and complete your first pull request, however small.
- Set up your home office. You can claim up to 600 EUR or 900 CAD for home office equipment in your first 90 days.

## First 30 days
- Agree on 30-60-90 day goals with your manager by day 10.
- Shadow at least two customer calls or support sessions.
- Attend one of the monthly "How Northwind works" sessions run by People Operations.
- Give feedback on onboarding in the day-30 survey. We read every response.

Questions? Write to people-ops@northwind-labs.example or ask in #people-help.`,
  },
  {
    id: 'laptop-and-equipment-requests',
    title: 'Laptop and equipment requests',
    url: `${BASE_URL}/it/laptop-and-equipment-requests`,
    metadata: {
      department: 'IT',
      owner: 'it-help@northwind-labs.example',
      updated: '2026-07-02',
      type: 'procedure',
    },
    text: `# Laptop and equipment requests

Every employee receives a company laptop and a standard set of accessories. This page explains what you get, how to ask for something different, and what happens when hardware breaks or you leave.

## Standard kit
- **Standard laptop**: 14-inch, 16 GB RAM, 512 GB SSD. Default for Sales, Marketing, Finance and People Operations.
- **Engineering laptop**: 16-inch, 32 GB RAM, 1 TB SSD. Default for Engineering, Data and Design.
- One 27-inch monitor, keyboard, mouse, headset and a laptop stand.

Laptops are refreshed every 3 years. IT contacts you about 6 weeks before your refresh date.

## How to request equipment
1. Open a ticket in the IT portal (it.northwind-labs.example) using the "Hardware request" form.
2. Choose from the catalogue. Anything in the catalogue under 300 EUR / 450 CAD is approved automatically.
3. Off-catalogue items or anything above that amount needs your manager's approval in the ticket.
4. Items ship within 5 business days in Portugal and Canada and 10 business days elsewhere.

Please do not buy hardware yourself and claim it as an expense, unless it is part of the home office allowance described in the remote work policy.

## Broken, lost or stolen equipment
- Broken: open a "Hardware repair" ticket. If you cannot work, IT ships a loaner laptop within 2 business days.
- Lost or stolen laptop: report it within 24 hours to it-help@northwind-labs.example and security@northwind-labs.example. IT will lock and remotely wipe the device. A police report is required for theft.

## Leaving Northwind
Return your laptop and accessories within 10 business days of your last day using the prepaid shipping kit IT sends you. You may buy your laptop at its depreciated value if it is older than 2 years; ask it-help for a quote.

## Personal devices
You may read chat and e-mail on a personal phone if it has a screen lock and the device management profile installed. Personal computers must never be used to access source code or customer data.`,
  },
  {
    id: 'travel-and-expense-policy',
    title: 'Travel and expense policy',
    url: `${BASE_URL}/finance/travel-and-expense-policy`,
    metadata: {
      department: 'Finance',
      owner: 'finance@northwind-labs.example',
      updated: '2026-06-15',
      type: 'policy',
    },
    text: `# Travel and expense policy

This policy explains what Northwind Labs pays for when you travel or spend money on company business, and how to get reimbursed. When in doubt, spend the company's money as if it were your own.

## Booking travel
- Book all flights, trains and hotels through the travel desk (travel@northwind-labs.example) or the booking tool, at least 14 days in advance where possible.
- Economy class for flights under 6 hours. Premium economy is allowed for flights over 6 hours, for example Lisbon to Toronto.
- Hotels: up to 160 EUR per night in Lisbon, 220 CAD per night in Toronto, and 180 EUR per night in other European cities. Higher city rates are listed in the booking tool.
- Trips need manager approval before booking. International trips also need approval from your department head.

## Daily allowances
- Meals while travelling: up to 55 EUR or 80 CAD per day, including tips.
- Team dinners during offsites: up to 45 EUR or 65 CAD per person, approved by the most senior person present.
- Alcohol is reimbursed only at team events, up to a reasonable amount.
- Ground transport: public transport or ride-hailing. Car rentals need prior approval.

## Submitting an expense claim
1. Submit every expense in the expense tool within 30 days of the purchase.
2. Attach an itemised receipt for every expense above 25 EUR / 35 CAD.
3. Select the correct cost centre and add a short business purpose.
4. Your manager approves claims within 5 business days. Finance pays approved claims in the next payroll run, which is on the 25th of each month.

Expense claims older than 90 days are not reimbursed.

## Company cards
Employees who travel more than 4 times a year can request a company card. Card transactions still need receipts uploaded within 30 days.

## What is not reimbursed
Fines, personal entertainment, upgrades paid for personal comfort, lost luggage fees caused by late check-in, and travel insurance (already covered by the company policy).

Questions: finance@northwind-labs.example or #finance-help.`,
  },
  {
    id: 'remote-work-policy',
    title: 'Remote work policy',
    url: `${BASE_URL}/people/remote-work-policy`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2026-05-11',
      type: 'policy',
    },
    text: `# Remote work policy

Northwind Labs is remote-first. Most of our 250 people work from home, and our Lisbon and Toronto offices are places to collaborate, not places you are required to be.

## Where you can work
- You may work from anywhere in the country where you are employed.
- Working from another country is allowed for up to 30 days per calendar year, with manager approval and a request to People Operations at least 2 weeks in advance. Some countries are excluded for tax and export reasons; the current list is in the HR portal.
- Permanent relocation to another country requires approval from People Operations and Legal and may change your contract.

## Working hours
- We share core collaboration hours of 14:00 to 17:00 Lisbon time (09:00 to 12:00 Toronto time). Please keep these free for meetings and quick questions.
- Outside core hours, organise your day as you like. Set your working hours in your calendar so others know when to expect a reply.
- We do not expect replies to messages outside your working hours.

## Home office allowance
- One-off setup allowance: up to 600 EUR or 900 CAD during your first 90 days, for a desk, chair, lighting and similar items. Submit receipts as an expense under the "Home office" category.
- Monthly internet and utilities allowance: 40 EUR or 60 CAD, paid automatically with your salary.
- Coworking spaces: up to 150 EUR or 220 CAD per month if you live more than 50 km from an office, with manager approval.

## Staying connected
- Keep your camera on for team rituals when you can, but it is never mandatory.
- Each team meets in person at least once a year at an offsite, paid by the company.
- Use the VPN whenever you access internal systems from a public network.

## Security at home
Lock your screen when you step away, do not let family members use your company laptop, and keep work documents off shared printers.

Questions: people-ops@northwind-labs.example.`,
  },
  {
    id: 'parental-leave',
    title: 'Parental leave policy',
    url: `${BASE_URL}/people/parental-leave`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2026-03-30',
      type: 'policy',
    },
    text: `# Parental leave policy

Northwind Labs supports every parent, regardless of gender, and however their family grows: birth, adoption, foster care or surrogacy.

## How much leave
- **Primary caregiver**: 20 weeks of leave at 100% of base salary.
- **Secondary caregiver**: 12 weeks of leave at 100% of base salary, which can be taken in up to three blocks within the first 12 months.
- These amounts include and top up any statutory leave. In Portugal we top up the social security parental allowance; in Canada we top up Employment Insurance maternity and parental benefits.
- Employees become eligible after 3 months of employment.

## Returning to work
- You may return on a phased schedule: 60% of your hours in the first 2 weeks and 80% in weeks 3 and 4, at full pay.
- Your role, level and salary are protected. Parental leave never affects your performance rating or promotion eligibility. A review cycle that falls during your leave is skipped, and your salary receives at least the company-wide adjustment.

## Other support
- A one-time new child payment of 500 EUR or 750 CAD.
- Lactation rooms are available in the Lisbon and Toronto offices.
- Up to 5 days of paid leave for prenatal appointments, fertility treatment or adoption proceedings.
- Pregnancy loss: 10 days of paid leave for the employee and their partner.

## How to request leave
1. Tell your manager and People Operations at least 8 weeks before the expected start, or as soon as you can.
2. Submit the parental leave form in the HR portal, including the expected dates.
3. People Operations sends you a personal plan covering pay, statutory filings and benefits within 5 business days.

Your manager will agree a handover plan with you and your team. During leave you are not expected to check e-mail or chat.

Questions: parental-leave@northwind-labs.example.`,
  },
  {
    id: 'vacation-and-pto',
    title: 'Vacation and paid time off (PTO)',
    url: `${BASE_URL}/people/vacation-and-pto`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2026-01-12',
      type: 'policy',
    },
    text: `# Vacation and paid time off (PTO)

Rest matters. We want everyone to take real time away from work every year.

## Your allowance
- **Portugal**: 25 working days of vacation per year, plus public holidays.
- **Canada**: 22 working days of vacation per year, plus public holidays. This is well above the statutory minimum in Ontario.
- **Other countries**: 25 working days, or the local statutory minimum if higher.
- After 4 years of service you receive 2 extra days, and after 7 years 5 extra days.
- Everyone also gets 2 floating "personal days" per year that can be used for any reason, including religious or cultural holidays not in the company calendar.

The company also closes between 24 and 31 December; these closure days do not come out of your allowance.

## Minimum time off
Take at least 10 working days of vacation each year, including one block of 5 consecutive days. People Operations will nudge you in September if you are behind.

## Booking time off
- Request vacation in the HR portal. Your manager approves or declines within 3 business days.
- For absences of 5 days or more, request at least 4 weeks in advance.
- Add the time off to your calendar and set an out-of-office reply that names a backup.
- If you are on the on-call rotation, arrange a swap before your request is approved.

## Carry-over
- Up to 5 unused days can be carried into the next year and must be used by 31 March.
- Unused days are not paid out, except where the law requires it when you leave the company.

## Unpaid leave and sabbaticals
Unpaid leave of up to 3 months can be requested after 2 years of service. After 5 years you can take a paid 4-week sabbatical once.

Sick days are not vacation: see the sick leave policy.`,
  },
  {
    id: 'sick-leave',
    title: 'Sick leave policy',
    url: `${BASE_URL}/people/sick-leave`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2026-02-03',
      type: 'policy',
    },
    text: `# Sick leave policy

If you are unwell, rest. Do not work while sick, and do not feel you need to justify a sick day.

## How many days
- Northwind Labs pays full salary for up to 15 sick days per calendar year, on top of your vacation allowance.
- Sick days cover physical and mental health, medical appointments that cannot be scheduled outside working hours, and caring for a sick child or dependant.
- Beyond 15 days, or for long-term illness, statutory sick pay applies and Northwind tops it up to 80% of base salary for up to 6 months.

## Reporting an absence
1. Tell your manager as early as possible on the first day, by chat or phone. A short message is enough; you do not need to share your diagnosis.
2. Record the absence in the HR portal under "Sick leave" when you are back, or ask your manager to do it.
3. If you are on call, tell the on-call lead so they can find cover. Never hand over a shift by silently not responding.

## Medical certificates
- Absences of up to 3 consecutive working days do not need a certificate.
- From the 4th consecutive day, please upload a medical certificate to the HR portal. In Portugal this is the official certificate of temporary incapacity; in Canada a note from a doctor or nurse practitioner is enough.
- Certificates are only visible to People Operations, never to your manager.

## Returning after a long absence
After more than 4 weeks away, People Operations will arrange a return-to-work conversation and, if helpful, a reduced schedule for the first weeks. Workplace adjustments, such as special equipment or changes to hours, can be requested at any time.

## Support
Our employee assistance programme offers 6 free, confidential counselling sessions per year. See the benefits overview for details.

Questions: people-ops@northwind-labs.example.`,
  },
  {
    id: 'security-essentials',
    title: 'Security essentials: passwords, password manager, MFA and phishing',
    url: `${BASE_URL}/security/security-essentials`,
    metadata: {
      department: 'Security',
      owner: 'security@northwind-labs.example',
      updated: '2026-09-01',
      type: 'policy',
    },
    text: `# Security essentials: passwords, password manager, MFA and phishing

These rules apply to everyone at Northwind Labs, including contractors. They are short on purpose. Security questions go to #security-help or security@northwind-labs.example.

## Passwords
- Use a unique password for every account. Reusing a password across two sites is the most common way accounts get taken over.
- Passwords must be at least 14 characters. Long passphrases of four or more random words are encouraged.
- Never share passwords by chat or e-mail. Use a shared vault in the password manager instead.
- We do not force periodic password changes. Change a password immediately if you suspect it was exposed.

## Password manager
Every employee gets the company password manager, Northwind Vault.
1. Install the desktop app and browser extension from the IT portal.
2. Create a master passphrase of at least 5 random words. This is the one password you must remember; IT cannot recover it.
3. Save the recovery kit PDF and store it somewhere safe offline.
4. Use the generator to create passwords: 20 characters or more.
5. Team credentials live in shared vaults such as "Marketing tools" or "Finance banking". Ask the vault owner for access, never copy items into a personal vault.

Your personal vault is yours: you may keep personal passwords in it and export them when you leave.

## Multi-factor authentication (MFA)
- MFA is mandatory on your Northwind account and on every tool that supports it.
- Use a hardware security key (two are shipped with your laptop) or the authenticator app. SMS codes are not allowed.
- Lost a security key? Report it to it-help@northwind-labs.example the same day.

## Phishing
- Be suspicious of urgent requests involving money, gift cards, password resets or unexpected attachments, even if they seem to come from a manager.
- Report suspicious e-mail with the "Report phishing" button, or forward it to phishing@northwind-labs.example.
- If you clicked a link or entered credentials, report it within 15 minutes if you can. You will never be blamed for reporting quickly.
- Security runs simulated phishing campaigns each quarter. Results are only shared in aggregate.`,
  },
  {
    id: 'acceptable-use-policy',
    title: 'Acceptable use policy',
    url: `${BASE_URL}/security/acceptable-use-policy`,
    metadata: {
      department: 'Security',
      owner: 'security@northwind-labs.example',
      updated: '2026-04-22',
      type: 'policy',
    },
    text: `# Acceptable use policy

This policy describes how you may use Northwind Labs systems, devices, accounts and networks. It applies to employees, contractors and interns. Breaking it can lead to disciplinary action.

## Company devices
- Company devices are for work. Light personal use, such as checking the news or booking a dentist appointment, is fine.
- Do not install software from outside the IT software catalogue without approval from it-help@northwind-labs.example. Developer tools installed through standard package managers are allowed for engineers.
- Do not disable disk encryption, the endpoint protection agent, automatic updates or the device management profile.
- Keep devices updated: security updates must be installed within 7 days of release.

## Accounts and access
- Your account is personal. Never let anyone else log in as you.
- Request only the access you need for your job and give it back when you change roles.
- Service accounts and API tokens must be registered with the Security team and stored in the password manager or the secrets vault.

## Data and generative AI tools
- Customer data, source code and confidential documents may only be stored in approved systems.
- Only use AI assistants that are on the approved tools list. Never paste customer data, credentials or unreleased financial information into unapproved tools.
- Do not forward company e-mail to personal accounts or upload company files to personal cloud storage.

## Communication
- Be respectful in chat, e-mail and comments. Harassment, discrimination and offensive content are not tolerated anywhere, including in private messages.
- Only authorised spokespeople talk to the press about Northwind. Refer journalists to press@northwind-labs.example.

## Monitoring
Northwind monitors company systems for security purposes, such as detecting malware or data leaks. We do not read private messages or browsing history except during an approved investigation, which requires sign-off from Legal and the Head of Security.

## Reporting
Report lost devices, suspected compromise or policy violations to security@northwind-labs.example. Good-faith reports are always welcome.`,
  },
  {
    id: 'incident-response-runbook',
    title: 'Incident response runbook',
    url: `${BASE_URL}/engineering/incident-response-runbook`,
    metadata: {
      department: 'Engineering',
      owner: 'sre@northwind-labs.example',
      updated: '2026-08-27',
      type: 'runbook',
    },
    text: `# Incident response runbook

Use this runbook when a production service is degraded or down, or when you suspect a security incident. If in doubt, declare an incident: it is cheap to close one.

## Severity levels
- **SEV1**: full outage, data loss, or confirmed security breach affecting customers. Page the incident commander immediately; status page update within 15 minutes.
- **SEV2**: major feature unavailable or severe degradation for many customers. Status page update within 30 minutes.
- **SEV3**: minor degradation, workaround available. Handled in business hours.
- **SEV4**: cosmetic issue or internal tool problem. Open a normal ticket.

## Declaring an incident
1. Type "/incident declare" in chat with a one-line summary and a proposed severity.
2. The bot creates an #inc-YYYYMMDD-short-name channel, a video bridge and an incident document.
3. The on-call engineer becomes incident commander (IC) until they hand over explicitly.

## Roles
- **Incident commander**: coordinates, decides, keeps the timeline. The IC does not debug.
- **Operations lead**: investigates and applies fixes.
- **Communications lead**: updates the status page and customer support every 30 minutes for SEV1 and every 60 minutes for SEV2.
- For suspected security incidents, page the security on-call through security-oncall@northwind-labs.example and do not delete logs or rotate credentials until they agree.

## During the incident
- Stabilise first, investigate later. Rolling back the last release is always an acceptable first step.
- Post every action and its result in the incident channel with a timestamp.
- If customer personal data may be affected, tell the Data Protection Officer (dpo@northwind-labs.example) within 1 hour. GDPR gives us 72 hours to notify the supervisory authority.

## Closing
- The IC declares the incident resolved once customer impact has ended and monitoring is green for 30 minutes.
- SEV1 and SEV2 incidents need a blameless postmortem, published within 5 business days and reviewed at the weekly reliability meeting.
- Action items get owners and due dates in the tracker, tagged "postmortem".`,
  },
  {
    id: 'on-call-rotation',
    title: 'On-call rotation guide',
    url: `${BASE_URL}/engineering/on-call-rotation`,
    metadata: {
      department: 'Engineering',
      owner: 'sre@northwind-labs.example',
      updated: '2026-07-21',
      type: 'guide',
    },
    text: `# On-call rotation guide

Product engineering teams own their services in production, including on-call. This guide explains how rotations work and how you are compensated.

## Rotation structure
- Each team runs a weekly rotation, handing over on Mondays at 15:00 Lisbon time (10:00 Toronto time).
- We follow the sun: Lisbon engineers cover 08:00-20:00 Lisbon time and Toronto engineers cover 08:00-20:00 Toronto time. Overnight gaps are covered by the primary on-call of the region whose night it is, for SEV1 pages only.
- Every rotation has a primary and a secondary. The secondary is paged if the primary does not acknowledge within 10 minutes.
- Nobody is on call more than one week in four. Engineers join the rotation after 3 months and after shadowing one full week.

## Expectations
- Acknowledge pages within 5 minutes during your covered hours and within 15 minutes overnight.
- Carry your laptop and have a reliable connection. You must be able to start working within 30 minutes.
- No alcohol that would impair your judgement while primary on call.
- Follow the incident response runbook for anything SEV2 or above.

## Compensation
- On-call allowance: 250 EUR or 370 CAD per week as primary, 120 EUR or 180 CAD per week as secondary.
- Pages outside working hours are paid at 1.5x hourly rate for the time worked, rounded up to 30 minutes.
- If you are paged overnight for more than 1 hour, take the next morning off.
- Log overnight work in the HR portal under "On-call time" by the 5th of the following month.

## Swaps and holidays
Swap shifts directly with a teammate and update the scheduling tool. Public holidays in your country count as double allowance. Swaps must be in the tool at least 24 hours before the shift starts.

## Healthy rotations
Teams review alert volume every month. A rotation with more than 5 out-of-hours pages per week for two consecutive weeks triggers a reliability review with the SRE team (sre@northwind-labs.example).`,
  },
  {
    id: 'code-review-guidelines',
    title: 'Code review guidelines',
    url: `${BASE_URL}/engineering/code-review-guidelines`,
    metadata: {
      department: 'Engineering',
      owner: 'eng-practices@northwind-labs.example',
      updated: '2026-06-02',
      type: 'guideline',
    },
    text: `# Code review guidelines

Every change to production code is reviewed by at least one other engineer. Reviews keep quality high, spread knowledge and catch security problems early.

## For authors
- Keep pull requests small: aim for under 400 changed lines. Split large changes behind feature flags.
- Write a description that explains why, not just what. Link the ticket and include screenshots for UI changes.
- Make sure CI is green before requesting review. Reviewers should not be the first to run your tests.
- Request review from the code owners listed for the affected paths. Changes to authentication, billing, encryption or data export paths also need a reviewer from the Security champions group.
- Respond to every comment, either with a change or a short explanation.

## For reviewers
- Respond within 1 business day. If you cannot, say so and suggest someone else.
- Review for correctness, security, tests, readability and operability (logging, metrics, error handling), roughly in that order.
- Prefix optional suggestions with "nit:" so the author knows they are not blocking.
- Approve when the change makes the codebase better, even if it is not exactly how you would have written it.
- Be kind. Comment on the code, not the person. Ask questions rather than give orders.

## Approvals and merging
- 1 approval is required for most repositories; 2 approvals for the platform, billing and infrastructure repositories.
- Authors merge their own pull requests after approval. Squash merge is the default.
- Do not merge on Friday after 15:00 local time unless it fixes an incident.
- Never approve your own change using a second account, and never bypass branch protection. Emergency bypasses are logged and reviewed weekly.

## Tests
New behaviour needs tests. Bug fixes need a test that fails without the fix. Coverage is tracked but not enforced with a hard threshold.

## Secrets
If you spot a credential in a diff, do not merge. Ask the author to rotate it and report it to security@northwind-labs.example.`,
  },
  {
    id: 'release-process',
    title: 'Release process',
    url: `${BASE_URL}/engineering/release-process`,
    metadata: {
      department: 'Engineering',
      owner: 'release-eng@northwind-labs.example',
      updated: '2026-08-05',
      type: 'procedure',
    },
    text: `# Release process

Northwind Labs ships the web application continuously and the desktop and mobile apps on a fixed train. This page describes both.

## Continuous deployment (web and API)
1. Merging to the main branch triggers the pipeline: build, unit tests, integration tests and a security scan.
2. The build is deployed to staging automatically and smoke tests run for 10 minutes.
3. Production rollout is progressive: 5% of traffic for 20 minutes, then 25%, then 100%. Rollout halts automatically if the error rate rises above 1% or p95 latency rises by more than 20%.
4. Database migrations must be backwards compatible with the previous release. Destructive migrations run in a separate, later release.

## Release train (desktop and mobile)
- A release branch is cut every second Tuesday at 12:00 Lisbon time.
- QA runs the regression suite on Wednesday and Thursday.
- The release manager for the train (rotating, listed in #releases) signs off on Friday.
- Store submissions go out the following Monday. Staged rollout starts at 10% and reaches 100% after 3 days if crash-free sessions stay above 99.5%.

## Freeze periods
- No production deploys between 22 December and 4 January, except fixes approved by the VP of Engineering.
- No deploys during the 48 hours before a major customer event announced in #releases.

## Feature flags
New features ship behind flags. Flags are owned by the team that created them and must be removed within 60 days of full rollout. The flag dashboard lists stale flags every Monday.

## Hotfixes
For urgent fixes, open a pull request labelled "hotfix". It still needs one approval and green CI, but skips the queue. Hotfixes to mobile apps require the release manager's approval and a changelog entry.

## Release notes
Product managers write customer-facing release notes. Every user-visible change merged during the week is collected automatically and published on Thursday.

Contact release-eng@northwind-labs.example or ask in #releases.`,
  },
  {
    id: 'customer-data-handling-gdpr',
    title: 'Customer data handling and GDPR',
    url: `${BASE_URL}/legal/customer-data-handling-gdpr`,
    metadata: {
      department: 'Legal',
      owner: 'dpo@northwind-labs.example',
      updated: '2026-09-10',
      type: 'policy',
    },
    text: `# Customer data handling and GDPR

Our customers trust us with their data. As a company with EU operations, Northwind Labs must comply with the General Data Protection Regulation (GDPR), and with Canadian privacy law (PIPEDA) for our Canadian customers. Our Data Protection Officer can be reached at dpo@northwind-labs.example.

## Data classification
- **Public**: marketing material, published documentation.
- **Internal**: most company documents, including this handbook.
- **Confidential**: contracts, financials, employee records.
- **Customer data**: anything our customers upload or that identifies their users. This is the most sensitive class.

## Rules for customer data
- Access customer data only when you need it to do your job, for example to resolve a support ticket the customer opened.
- Production data access is granted for a maximum of 8 hours through the access portal, is logged, and requires a ticket reference.
- Never copy customer data to your laptop, to spreadsheets, to test environments or to chat. Use the anonymised staging datasets for testing.
- Customer data stays in the region the customer chose: EU data is stored in our Frankfurt and Dublin regions, Canadian data in the Montreal region.

## Data subject requests
Individuals have the right to access, correct, export or delete their data. Forward any such request to privacy@northwind-labs.example immediately. We must respond within 30 days, so do not let a request sit in your inbox.

## Retention
- Customer data is deleted within 30 days after a contract ends, and from backups within 90 days.
- Support tickets are kept for 2 years; application logs containing personal data for 30 days.

## Sub-processors and vendors
Any new vendor that will process customer data needs a data processing agreement and a security review before a contract is signed. See the procurement and vendor approval policy.

## Breaches
Report any suspected data breach to security@northwind-labs.example and the DPO at once, within 1 hour of noticing it. We have 72 hours to notify the supervisory authority, so speed matters.

## Training
Everyone completes data protection training during onboarding and then once a year, by 31 October.`,
  },
  {
    id: 'benefits-overview',
    title: 'Benefits overview',
    url: `${BASE_URL}/people/benefits-overview`,
    metadata: {
      department: 'People Operations',
      owner: 'benefits@northwind-labs.example',
      updated: '2026-01-08',
      type: 'overview',
    },
    text: `# Benefits overview

Northwind Labs offers a core set of benefits in every country, adapted to local rules. This page summarises them; the HR portal has plan documents and enrolment forms.

## Health
- **Portugal**: private health insurance for you, your partner and your children, fully paid by Northwind, including dental and vision. Enrol within 30 days of your start date.
- **Canada**: extended health, dental and vision coverage for you and your dependants, with a 2,000 CAD annual health spending account. Northwind pays 100% of premiums.
- **Other countries**: a health stipend of 150 EUR per month, or a local plan where our employer-of-record partner provides one.

## Retirement
- Portugal: Northwind contributes 3% of base salary to a pension savings plan.
- Canada: Northwind matches your group RRSP contributions up to 4% of base salary.

## Life and disability
Life insurance of 2x annual base salary and long-term disability insurance, both paid by Northwind.

## Wellbeing
- Wellbeing allowance: 50 EUR or 75 CAD per month for gym memberships, sports clubs, therapy or meditation apps. Claim it as an expense under "Wellbeing".
- Employee assistance programme: 6 free confidential counselling sessions per year, for you and your family, in English, Portuguese and French.

## Time off and family
See the separate policies on vacation and PTO, sick leave and parental leave.

## Home office and learning
- Home office setup and monthly internet allowance: see the remote work policy.
- Annual learning budget of 1,500 EUR or 2,200 CAD: see the learning budget page.

## Equity
All permanent employees receive stock options on joining, vesting over 4 years with a 1-year cliff. The option plan summary is in the HR portal.

## Changes and questions
You can change benefit selections during the open enrolment window from 1 to 30 November, or within 30 days of a life event such as marriage or the birth of a child.

Questions: benefits@northwind-labs.example.`,
  },
  {
    id: 'learning-budget',
    title: 'Learning and development budget',
    url: `${BASE_URL}/people/learning-budget`,
    metadata: {
      department: 'People Operations',
      owner: 'learning@northwind-labs.example',
      updated: '2026-02-17',
      type: 'policy',
    },
    text: `# Learning and development budget

Every employee has an annual learning budget to grow their skills. You do not need to prove that the learning is directly related to your current role, as long as it is relevant to your career at Northwind.

## How much
- 1,500 EUR or 2,200 CAD per calendar year, for every permanent employee after their probation period.
- Part-time employees receive the full amount.
- Unused budget does not carry over to the next year.
- In addition, everyone has 5 learning days per year that do not count as vacation.

## What it covers
- Courses, workshops, bootcamps and online learning subscriptions.
- Books and e-books (no approval needed for books under 60 EUR / 90 CAD).
- Conference tickets, and travel to conferences where you speak or attend with manager approval. Conference travel follows the travel and expense policy.
- Certifications and exam fees.
- Language classes, including Portuguese and French lessons for colleagues who relocate.
- Coaching, up to 600 EUR or 900 CAD per year.

## What it does not cover
Degree programmes (these go through the separate education support programme), hardware, or travel that is mainly leisure.

## How to use it
1. For anything above 300 EUR / 450 CAD, get your manager's approval in the learning portal first.
2. Pay and then claim the cost as an expense within 30 days, selecting the "Learning" category.
3. Alternatively, ask learning@northwind-labs.example to pay the provider directly for purchases above 1,000 EUR.

## Sharing what you learn
After a conference or a course longer than 2 days, we ask you to share a short summary in #til or give a 15-minute talk at a team meeting.

## Repayment
If you leave Northwind within 6 months of a single learning purchase above 2,000 EUR (approved as an exception), you may need to repay part of it. This is agreed in writing before the purchase.`,
  },
  {
    id: 'performance-reviews-and-promotions',
    title: 'Performance reviews and promotion process',
    url: `${BASE_URL}/people/performance-reviews-and-promotions`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2026-04-06',
      type: 'process',
    },
    text: `# Performance reviews and promotion process

At Northwind Labs, feedback happens continuously, but twice a year we pause to reflect formally on performance and growth.

## Review cycles
- Reviews run twice a year: in March (covering October to March) and in September (covering April to September).
- Each cycle takes 4 weeks: week 1 self-review, week 2 peer feedback, week 3 manager review and calibration, week 4 conversations.
- You nominate 3 to 5 peers for feedback; your manager may add up to 2.
- Employees who joined less than 3 months before the cycle start do a lighter check-in instead.

## Ratings
Managers assess your impact against the expectations for your level in the career framework, using four ratings: "Exceeds", "Strong", "Developing" and "Not meeting". Calibration sessions across teams make sure ratings are consistent. Ratings are never forced into a distribution.

## The review conversation
Your manager shares written feedback at least 24 hours before the conversation. The conversation covers what went well, where to grow, and goals for the next 6 months. Both of you sign off in the performance tool within a week.

## Promotions
- Promotions are decided in the September cycle, with an additional out-of-cycle window in March for exceptional cases.
- To be considered, you should have been performing at the next level for at least 6 months. Your manager writes a promotion case using the template in the career framework, with at least 3 concrete examples.
- Cases are reviewed by a promotion committee of senior leaders from outside your team. The committee meets in the last week of September.
- Promotions take effect on 1 October (or 1 April for the March window), with a salary increase to at least the minimum of the new level's band.
- If a case is not approved, the committee provides written feedback and a development plan within 2 weeks.

## Appeals
If you disagree with your rating or a promotion decision, raise it with your HR business partner within 15 business days. Appeals are reviewed by someone who was not involved in the original decision.

Questions: people-ops@northwind-labs.example.`,
  },
  {
    id: 'office-guide-lisbon',
    title: 'Office guide: Lisbon',
    url: `${BASE_URL}/offices/lisbon`,
    metadata: {
      department: 'Workplace',
      owner: 'lisbon-office@northwind-labs.example',
      updated: '2026-05-25',
      type: 'guide',
      office: 'Lisbon',
    },
    text: `# Office guide: Lisbon

Our Lisbon office is home to about 90 people and is our largest hub in Europe. It is on the 3rd and 4th floors of a renovated warehouse near the river, a 7-minute walk from the nearest metro station.

## Address and access
- Address: Rua das Fabricas 42, 3rd floor, 1200-001 Lisbon, Portugal.
- Opening hours: Monday to Friday, 08:00 to 20:00. The building is closed at weekends.
- Your badge is activated on your first visit. Collect it from reception on the 3rd floor with photo ID. Lost badges: lisbon-office@northwind-labs.example.
- Visitors must be registered by their host in the visitor app by 17:00 the day before.

## Desks and rooms
- 70 hot desks, all with a 27-inch monitor and docking station. Book a desk in the workplace app; bookings are released at 10:30 if you have not checked in.
- 8 meeting rooms named after Portuguese rivers (Tejo, Douro, Mondego and so on). The largest, Tejo, seats 16 and has a video wall.
- 4 phone booths for calls, bookable for up to 1 hour.
- Quiet zone on the 4th floor: no calls, no meetings.

## Food and drink
- Free coffee, tea, fruit and snacks every day.
- Team lunch every Wednesday at 13:00, paid by Northwind.
- Lunch allowance: employees receive meal allowance cards with 9.60 EUR per working day, in line with Portuguese practice.

## Getting there
- Metro: green line, 7 minutes on foot.
- Bike parking for 20 bikes in the courtyard, with showers on the 3rd floor.
- There is no car parking. A public car park next door offers a monthly rate of 110 EUR, which Northwind does not reimburse.

## Safety
- Fire assembly point: the square in front of the building.
- First aiders and fire wardens are listed on the kitchen noticeboard.
- In an emergency, call 112.

## Events
Monthly all-hands watch party on the first Thursday of the month, and a summer party in June during the city festivals.

Questions: #office-lisbon or lisbon-office@northwind-labs.example.`,
  },
  {
    id: 'office-guide-toronto',
    title: 'Office guide: Toronto',
    url: `${BASE_URL}/offices/toronto`,
    metadata: {
      department: 'Workplace',
      owner: 'toronto-office@northwind-labs.example',
      updated: '2026-05-25',
      type: 'guide',
      office: 'Toronto',
    },
    text: `# Office guide: Toronto

The Toronto office is home to about 60 people and is our North American hub for Sales, Customer Success and two engineering teams. It occupies the 12th floor of an office tower downtown, connected to the underground walkway.

## Address and access
- Address: 180 Harbour Street, Suite 1200, Toronto, Ontario M5J 0A1, Canada.
- Opening hours: Monday to Friday, 07:30 to 19:30. After-hours access requires approval from toronto-office@northwind-labs.example.
- Building security issues your access card on your first day. Bring government-issued photo ID to the lobby security desk.
- Visitors must be pre-registered at least 24 hours in advance; building security will not let unregistered guests upstairs.

## Desks and rooms
- 45 hot desks with monitors and docking stations, bookable in the workplace app.
- 6 meeting rooms named after Canadian lakes. The largest, Superior, seats 14.
- 3 phone booths and a wellness room for prayer, rest or nursing, bookable for up to 1 hour.

## Food and drink
- Free coffee, tea and snacks. Breakfast is catered every Tuesday.
- Team lunch every Thursday at 12:30, paid by Northwind.
- There is no daily meal allowance in Canada; meals during business travel follow the travel and expense policy.

## Getting there
- Union Station is a 5-minute walk through the underground walkway.
- Northwind reimburses 50% of a monthly transit pass, up to 80 CAD per month. Claim it as an expense under "Commuting".
- Secure bike storage is available in the P1 level of the building; request access from reception.
- Parking in the building costs about 28 CAD per day and is not reimbursed.

## Winter
On days with severe weather warnings, the office may close. Closures are announced in #office-toronto by 06:30. Everyone can work from home on those days without asking.

## Safety
- Fire drills happen twice a year; follow the floor wardens in yellow vests.
- Emergency: call 911. The building security desk is on extension 1000.

## Events
Monthly all-hands watch party, a summer patio afternoon in July and a winter celebration in December.

Questions: #office-toronto or toronto-office@northwind-labs.example.`,
  },
  {
    id: 'holiday-calendar-2026',
    title: 'Holiday calendar 2026',
    url: `${BASE_URL}/people/holiday-calendar-2026`,
    metadata: {
      department: 'People Operations',
      owner: 'people-ops@northwind-labs.example',
      updated: '2025-12-01',
      type: 'calendar',
      year: 2026,
    },
    text: `# Holiday calendar 2026

These are the paid public holidays observed by Northwind Labs in 2026. They do not count against your vacation allowance. Employees in other countries follow their local public holiday calendar, which People Operations publishes in the HR portal.

## Company-wide
- **Winter closure**: Thursday 24 December to Thursday 31 December 2026. All offices are closed and no meetings should be scheduled. Support and on-call teams run a reduced rota and receive compensating days off.
- **Northwind Day**: Monday 2 March 2026, the company's founding anniversary. A day off for everyone.

## Portugal (Lisbon office and employees in Portugal)
- Thursday 1 January - New Year's Day
- Tuesday 17 February - Carnival (optional holiday, observed by Northwind)
- Friday 3 April - Good Friday
- Sunday 5 April - Easter Sunday
- Saturday 25 April - Freedom Day
- Friday 1 May - Labour Day
- Thursday 4 June - Corpus Christi
- Wednesday 10 June - Portugal Day
- Saturday 13 June - Saint Anthony (Lisbon municipal holiday)
- Saturday 15 August - Assumption Day
- Monday 5 October - Republic Day
- Sunday 1 November - All Saints' Day
- Tuesday 1 December - Restoration of Independence
- Tuesday 8 December - Immaculate Conception
- Friday 25 December - Christmas Day

Holidays that fall on a weekend are not moved in Portugal.

## Canada (Toronto office and employees in Ontario)
- Thursday 1 January - New Year's Day
- Monday 16 February - Family Day
- Friday 3 April - Good Friday
- Monday 18 May - Victoria Day
- Wednesday 1 July - Canada Day
- Monday 3 August - Civic Holiday
- Monday 7 September - Labour Day
- Wednesday 30 September - National Day for Truth and Reconciliation
- Monday 12 October - Thanksgiving
- Friday 25 December - Christmas Day
- Monday 28 December - Boxing Day (observed, as 26 December is a Saturday)

Employees in other Canadian provinces follow their provincial calendar.

## Personal days
Remember the 2 floating personal days in the vacation and PTO policy. Use them for holidays that matter to you and are not listed here, such as Lunar New Year, Eid, Diwali or Yom Kippur.

## On-call on holidays
Engineers on call during a public holiday in their country receive double the on-call allowance and a day off in lieu.`,
  },
  {
    id: 'it-support-faq',
    title: 'IT support FAQ',
    url: `${BASE_URL}/it/it-support-faq`,
    metadata: {
      department: 'IT',
      owner: 'it-help@northwind-labs.example',
      updated: '2026-09-03',
      type: 'faq',
    },
    text: `# IT support FAQ

The IT team supports about 250 people in two offices and many home offices. Here are answers to the questions we get most often.

## How do I contact IT?
- Chat: #it-help, staffed Monday to Friday, 08:00 to 18:00 Lisbon time and 08:00 to 18:00 Toronto time.
- E-mail: it-help@northwind-labs.example, which creates a ticket automatically.
- Portal: it.northwind-labs.example for hardware, software and access requests.
- Urgent issues outside business hours (you cannot work and have a customer deadline): call the IT on-call line at +351 21 000 0199 or +1 416 555 0199.

## How fast will IT respond?
First response within 4 business hours for normal tickets and within 1 hour for tickets marked "Cannot work".

## I forgot my password or I am locked out.
Use the self-service reset at login.northwind-labs.example with your security key. If you lost your security key too, ask a colleague to open a ticket for you; IT will verify your identity over a video call with photo ID before resetting anything.

## My laptop is slow or broken.
Restart it and install pending updates first. If it still does not work, open a "Hardware repair" ticket. IT can ship a loaner laptop within 2 business days.

## How do I get new software?
Install it from the self-service software catalogue. If it is not there, request it in the portal. New software that handles company or customer data needs a security review, which takes about 5 business days.

## How do I get access to a system or shared drive?
Request it in the access portal. The system owner approves it; access is usually granted within 1 business day. Access is reviewed every quarter and removed if unused for 90 days.

## The VPN does not connect.
See the VPN setup guide for troubleshooting steps. The most common fix is to sign out of the client and sign in again with your security key.

## Can I use my own monitor, keyboard or headset?
Yes, personal peripherals are fine. Personal computers and USB storage drives are not allowed for work.

## How do I print?
Both offices have one printer per floor. Send jobs to "Northwind-Print" and release them with your badge.`,
  },
  {
    id: 'vpn-setup',
    title: 'VPN setup guide',
    url: `${BASE_URL}/it/vpn-setup`,
    metadata: {
      department: 'IT',
      owner: 'it-help@northwind-labs.example',
      updated: '2026-03-16',
      type: 'how-to',
    },
    text: `# VPN setup guide

Northwind Connect is our company VPN. You need it to reach internal tools such as the admin console, staging environments, internal dashboards and the finance system. Most everyday tools, like e-mail, chat and the HR portal, work without it.

## When to use the VPN
- Always when accessing internal systems (hostnames ending in .internal.northwind-labs.example).
- Always on public or shared networks: cafes, airports, hotels and coworking spaces.
- Not required at home for everyday tools, although leaving it on is fine.

## Installing Northwind Connect
1. Open the self-service software catalogue on your laptop and install "Northwind Connect". It is pre-installed on laptops issued after January 2026.
2. Launch the app and click "Sign in with Northwind".
3. Authenticate with your password and your security key.
4. Choose the gateway closest to you: "Lisbon" (EU) or "Toronto" (North America). The app picks one automatically if you leave it on "Auto".
5. The icon turns green when you are connected.

Connections last 12 hours before you need to authenticate again.

## Mobile devices
The VPN is available on company-managed phones only. Install it from the device management app catalogue. Personal phones cannot connect.

## Troubleshooting
- **"Authentication failed"**: sign out of the client completely, then sign in again. Make sure your security key is plugged in or your authenticator app is available.
- **Connected but internal sites do not load**: switch the gateway manually, then flush your DNS cache by restarting the client.
- **Very slow connection**: try the other gateway. Video calls do not need the VPN; disconnect during large calls if your home connection is weak.
- **Hotel or airport network blocks the VPN**: enable "Fallback mode" in settings, which tunnels over port 443.
- **Still stuck**: post in #it-help with a screenshot of the error and the diagnostic code from Settings > About.

## Rules
Do not share VPN sessions, install other VPN software on company devices, or use the VPN to access streaming services from other regions. All VPN connections are logged for security purposes and kept for 90 days.`,
  },
  {
    id: 'hiring-and-interview-guide',
    title: 'Hiring process, interview guide and referral bonus',
    url: `${BASE_URL}/people/hiring-and-interview-guide`,
    metadata: {
      department: 'Talent Acquisition',
      owner: 'talent@northwind-labs.example',
      updated: '2026-07-14',
      type: 'guide',
    },
    text: `# Hiring process, interview guide and referral bonus

Hiring is one of the most important things we do. This guide is for hiring managers, interviewers and anyone who wants to refer a friend.

## Opening a role
1. The hiring manager submits a headcount request in the recruiting system. It needs approval from the department head and Finance.
2. The recruiter and hiring manager hold a kickoff meeting to agree the job description, level, salary band and interview plan within 5 business days.
3. Roles are posted on our careers page and shared internally for 1 week before external sourcing begins. Internal candidates are always interviewed.

## Interview stages
- **Recruiter screen** (30 minutes): motivation, logistics, salary expectations.
- **Hiring manager interview** (45 minutes).
- **Skills interview** (60-90 minutes): a practical exercise. For engineers, a pair-programming session on a realistic problem; we do not use take-home tests longer than 2 hours, and we pay 150 EUR or 220 CAD for any take-home exercise.
- **Values interview** (45 minutes) with someone from another department.
- **Final conversation** with the department head for senior roles.

We aim to complete the process within 3 weeks and give every candidate a decision within 5 business days of their last interview.

## Interviewer guidelines
- Complete interview training before joining any panel, and shadow two interviews first.
- Use the structured scorecard and ask the agreed questions, so every candidate is assessed on the same criteria.
- Submit written feedback within 24 hours, before talking to other interviewers, to avoid groupthink.
- Never ask about age, family plans, religion, health or nationality.
- Candidates are guests: start on time, leave 10 minutes for their questions, and never be late.

## Referral bonus
- Refer candidates through the "Refer a friend" form in the recruiting system.
- If your referral is hired and stays 3 months, you receive a bonus of 2,000 EUR or 3,000 CAD, paid with the next payroll. Referrals for roles marked "hard to fill" pay 3,000 EUR or 4,500 CAD.
- Hiring managers, recruiters and executive team members are not eligible for referrals into their own teams.
- There is no limit on the number of referral bonuses you can receive.

Questions: talent@northwind-labs.example or #hiring.`,
  },
  {
    id: 'company-values-and-meeting-etiquette',
    title: 'Company values and meeting etiquette',
    url: `${BASE_URL}/culture/company-values-and-meeting-etiquette`,
    metadata: {
      department: 'Leadership',
      owner: 'ceo-office@northwind-labs.example',
      updated: '2026-01-20',
      type: 'culture',
    },
    text: `# Company values and meeting etiquette

Our values describe how we work together and how we make decisions when no policy applies. We use them in hiring, in performance reviews and in everyday conversations.

## Our values
1. **Customers first, always in context.** We build what helps our customers succeed, and we understand their problem before we propose a solution.
2. **Write it down.** We are remote-first, so decisions, context and plans live in documents, not in someone's head. If it is not written down, it did not happen.
3. **Own the outcome.** We take responsibility for results, not just tasks. When something breaks, we fix it and learn without blame.
4. **Be candid and kind.** We give direct feedback because we care. We disagree openly, then commit to the decision.
5. **Keep it simple.** We prefer the boring, reliable option and remove work that does not add value.

## Meeting etiquette
Meetings are expensive: a one-hour meeting with 8 people costs a full working day. Before scheduling one, ask whether a document or an async thread would do.

- **Every meeting has an agenda** in the invite. No agenda, no meeting: feel free to decline.
- **Default lengths are 25 or 50 minutes**, so people get a break between calls.
- **Respect core hours.** Cross-office meetings happen between 14:00 and 17:00 Lisbon time (09:00 to 12:00 Toronto time). Do not schedule meetings outside someone's working hours.
- **Start and end on time.** Late by more than 5 minutes? Let people know in chat.
- **Remote-equal meetings.** If one person is remote, everyone joins from their own laptop, even in the office, so nobody is a second-class participant.
- **Take notes** in a shared document and share decisions and action items within 24 hours.
- **No-meeting Wednesdays.** Wednesday is kept free of internal recurring meetings for focused work. Customer calls and incidents are exceptions.
- **Review recurring meetings** every quarter and cancel those that have lost their purpose.

## Living the values
Nominate colleagues for the quarterly values awards in #kudos. Winners receive a 150 EUR or 220 CAD gift voucher and a shout-out at the all-hands.`,
  },
  {
    id: 'procurement-and-vendor-approval',
    title: 'Procurement and vendor approval policy',
    url: `${BASE_URL}/finance/procurement-and-vendor-approval`,
    metadata: {
      department: 'Finance',
      owner: 'procurement@northwind-labs.example',
      updated: '2026-06-29',
      type: 'policy',
    },
    text: `# Procurement and vendor approval policy

This policy applies whenever Northwind Labs buys goods or services from an external supplier, including software subscriptions, contractors and agencies. It does not apply to individual expense claims, which follow the travel and expense policy.

## Approval thresholds
Amounts are the total contract value over the full term, excluding VAT or sales tax.
- **Under 2,000 EUR / 3,000 CAD**: budget owner approval. A company card or expense claim may be used.
- **2,000 to 25,000 EUR / 3,000 to 37,000 CAD**: budget owner plus Finance approval, and a purchase order.
- **25,000 to 100,000 EUR / 37,000 to 150,000 CAD**: department head, Finance and at least 2 competing quotes.
- **Over 100,000 EUR / 150,000 CAD**: CFO approval and a formal selection process with at least 3 quotes.

Splitting a purchase into smaller pieces to avoid a threshold is not allowed.

## Vendor reviews
Before signing, new vendors go through the vendor review in the procurement portal:
- **Security review** for any vendor that accesses company systems or data. Allow 5 to 10 business days.
- **Privacy review and data processing agreement** for any vendor that processes personal or customer data. See the customer data handling and GDPR policy.
- **Legal review** for all contracts above 2,000 EUR, and for any contract with unusual terms such as auto-renewal longer than 12 months or unlimited liability.

## Signing contracts
Only people listed in the signature authority matrix can sign contracts. For most employees, that means you should never click "I agree" on vendor terms on behalf of the company. Send the contract to legal@northwind-labs.example instead.

## Paying vendors
- Vendors send invoices to invoices@northwind-labs.example, quoting the purchase order number.
- Standard payment terms are 30 days from invoice date.
- Finance pays vendors twice a month, on the 10th and the 25th.

## Renewals
Every software subscription has an owner. Owners review usage 60 days before renewal and cancel or downsize unused licences. The procurement team sends reminders.

## Conflicts of interest
Declare any personal relationship with a vendor to procurement@northwind-labs.example before the selection process starts.`,
  },
  {
    id: 'whistleblowing-procedure',
    title: 'Whistleblowing procedure',
    url: `${BASE_URL}/legal/whistleblowing-procedure`,
    metadata: {
      department: 'Legal',
      owner: 'ethics@northwind-labs.example',
      updated: '2026-03-09',
      type: 'procedure',
    },
    text: `# Whistleblowing procedure

Northwind Labs wants to hear about wrongdoing so we can stop it. This procedure explains how to raise a concern safely and what happens next. It complies with the EU Whistleblower Directive as implemented in Portugal and with Canadian requirements.

## What to report
Report any genuine concern about:
- fraud, bribery or corruption;
- breaches of law, including data protection, competition and tax law;
- danger to health and safety or to the environment;
- financial misreporting or misuse of company money;
- harassment or discrimination that has not been resolved through normal channels;
- attempts to cover up any of the above.

Personal grievances about your own employment, such as a disagreement with your rating, should go through your manager or HR business partner instead.

## How to report
- **Online**: the independent ethics line at ethics-line.northwind-labs.example, available 24/7 in English, Portuguese and French. You may report anonymously.
- **E-mail**: ethics@northwind-labs.example, read only by the General Counsel and the Chair of the Audit Committee.
- **In person**: to the General Counsel or any member of the leadership team.
- **Externally**: you can also report directly to the competent authorities.

## What happens next
1. You receive an acknowledgement within 7 days.
2. An independent investigator, who is not connected to the people involved, assesses the report and investigates if needed.
3. You receive feedback on the actions taken within 3 months of the acknowledgement.
4. Reports involving the leadership team are handled directly by the Audit Committee of the board.

## Protection
- Your identity is kept confidential and shared only with those who need it to investigate, unless you agree otherwise or the law requires disclosure.
- Retaliation against anyone who reports in good faith, or helps an investigation, is strictly prohibited and is itself a disciplinary offence. Retaliation includes dismissal, demotion, exclusion or negative reviews.
- You are protected even if your concern turns out to be mistaken, as long as you reported honestly.

## Records
Reports and investigation records are kept securely for 5 years and then deleted, unless legal proceedings require longer retention.`,
  },

  // ---------------------------------------------------------------------------
  // Restricted documents (carry an ACL; not visible to the whole workspace)
  // ---------------------------------------------------------------------------
  {
    id: 'salary-bands-2026',
    title: 'Salary bands 2026',
    url: `${BASE_URL}/people-ops/confidential/salary-bands-2026`,
    metadata: {
      department: 'People Operations',
      owner: 'total-rewards@northwind-labs.example',
      updated: '2026-01-05',
      type: 'compensation',
      confidential: true,
    },
    acl: { groups: ['people-ops'] },
    text: `# Salary bands 2026 (confidential)

Confidential: People Operations only. Do not share outside the people-ops group. Managers receive the band for their own team's roles during review cycles.

These are the annual base salary bands effective 1 January 2026. Bands were refreshed using the November 2025 market benchmark at the 60th percentile for Lisbon and the 55th percentile for Toronto. Bands for employees in other countries are derived from the Lisbon band with a location factor between 0.8 and 1.1.

## Engineering (Lisbon, EUR / Toronto, CAD)
- **E1 Associate Engineer**: 32,000 - 40,000 EUR / 78,000 - 95,000 CAD
- **E2 Engineer**: 40,000 - 52,000 EUR / 95,000 - 118,000 CAD
- **E3 Senior Engineer**: 52,000 - 68,000 EUR / 118,000 - 148,000 CAD
- **E4 Staff Engineer**: 68,000 - 86,000 EUR / 148,000 - 180,000 CAD
- **E5 Principal Engineer**: 86,000 - 105,000 EUR / 180,000 - 215,000 CAD

## Product and Design
- **P2 Product Manager / Designer**: 42,000 - 54,000 EUR / 98,000 - 120,000 CAD
- **P3 Senior**: 54,000 - 70,000 EUR / 120,000 - 150,000 CAD
- **P4 Lead**: 70,000 - 88,000 EUR / 150,000 - 182,000 CAD

## Sales and Customer Success
- **Account Executive**: base 38,000 - 50,000 EUR / 75,000 - 95,000 CAD, with on-target earnings at 1.8x base.
- **Customer Success Manager**: 34,000 - 46,000 EUR / 70,000 - 90,000 CAD.

## G&A (Finance, People, IT, Legal)
- **G2 Specialist**: 30,000 - 42,000 EUR / 62,000 - 80,000 CAD
- **G3 Senior Specialist**: 42,000 - 56,000 EUR / 80,000 - 102,000 CAD
- **G4 Manager**: 56,000 - 74,000 EUR / 102,000 - 130,000 CAD

## Rules for using the bands
- New hires are offered between the minimum and the midpoint of the band. Offers above the midpoint require approval from the Head of People.
- Nobody is paid below the band minimum. 11 employees are currently below their new 2026 minimum and will be adjusted in the March payroll.
- Bands do not include the home office allowance, laptop and equipment, or on-call allowances, which are the same at every level.
- Equity grants by level are documented separately in the equity guidelines.

Questions: total-rewards@northwind-labs.example.`,
  },
  {
    id: 'compensation-review-process-confidential',
    title: 'Compensation review process - confidential',
    url: `${BASE_URL}/people-ops/confidential/compensation-review-process`,
    metadata: {
      department: 'People Operations',
      owner: 'total-rewards@northwind-labs.example',
      updated: '2026-08-31',
      type: 'process',
      confidential: true,
    },
    acl: { groups: ['people-ops'] },
    text: `# Compensation review process - confidential

Confidential: People Operations only. This document describes how the annual compensation review is run behind the scenes. The employee-facing summary is in the performance reviews and promotion process page.

## Timeline for the 2026 cycle
- **1 September**: Finance confirms the merit budget. For 2026 the budget is 4.0% of total base payroll, plus 0.5% reserved for equity adjustments.
- **7 - 18 September**: managers enter proposals in the compensation tool, after performance ratings are calibrated.
- **21 - 25 September**: HR business partners review proposals by department; the pay equity analysis runs.
- **28 - 30 September**: leadership sign-off; the CFO confirms the total stays within budget.
- **1 October**: new salaries take effect and appear in the October payroll on the 25th.
- **By 9 October**: managers share the outcome with each employee in a 1:1 conversation, using the letter generated by the tool.

## Merit guidelines
Suggested increases by rating and position in band (compa-ratio):
- "Exceeds": 6 - 9% if below midpoint, 4 - 6% if above.
- "Strong": 3 - 5% below midpoint, 2 - 3% above.
- "Developing": 0 - 2%.
- "Not meeting": no increase; a performance plan must be in place.

Promotions are funded from a separate pool and move the employee to at least the minimum of the new band.

## Pay equity analysis
People Operations runs a regression on base salary controlling for level, function, location and tenure. Any unexplained gap above 3% between groups is flagged and must be reviewed before sign-off. Flagged cases in 2025 were resolved with 18 adjustments totalling 46,000 EUR.

## Exceptions
- Off-cycle increases require a written case from the department head and approval from the Head of People and the CFO.
- Retention increases above 10% also need CEO approval.
- One-off payments, such as spot bonuses up to 1,000 EUR, can be processed through payroll; they must not be submitted as an expense claim.

## Confidentiality
Proposals are never shared with employees before 1 October. Compensation data is exported only through the compensation tool and never downloaded to a laptop or personal drive.

Questions: total-rewards@northwind-labs.example.`,
  },
  {
    id: 'board-notes-q3-2026-restructuring',
    title: 'Board meeting notes Q3 2026 - restructuring options',
    url: `${BASE_URL}/leadership/confidential/board-notes-q3-2026`,
    metadata: {
      department: 'Leadership',
      owner: 'ceo-office@northwind-labs.example',
      updated: '2026-09-24',
      type: 'meeting-notes',
      confidential: true,
    },
    acl: { groups: ['leadership'] },
    text: `# Board meeting notes Q3 2026 - restructuring options

Strictly confidential: leadership team only. Meeting held on 22 September 2026, by video. Present: all board members, the CEO, the CFO and the General Counsel (as secretary).

## 1. Financial update
- Q3 revenue is forecast at 9.8M EUR, 6% below plan, mainly due to slower expansion in the mid-market segment.
- Gross margin is stable at 78%. Runway is 26 months at the current burn rate.
- Cloud infrastructure costs grew 14% quarter over quarter; the CFO expects a 10% saving from the reserved-capacity renegotiation in Q4.

## 2. Restructuring options discussed
The CEO presented three options to bring the company to break-even by the end of 2027:
- **Option A - Cost discipline only**: hiring freeze except for 12 approved roles, travel budget reduced by 40%, renegotiation of the three largest vendor contracts. Estimated saving: 1.6M EUR per year. No role eliminations.
- **Option B - Consolidate teams**: merge the two smallest product teams and the Toronto and Lisbon support teams into one follow-the-sun team. Affects an estimated 15 to 20 roles, with redeployment offered first. Estimated saving: 2.9M EUR per year.
- **Option C - Exit the SMB self-serve product**: focus on mid-market and enterprise. Affects an estimated 30 roles. Estimated saving: 4.5M EUR per year but a revenue risk of 1.2M EUR.

## 3. Board discussion
- The board favoured Option A combined with a limited version of Option B, and asked for a detailed plan with People Operations and Legal, including consultation requirements in Portugal and Canada.
- Any role changes must follow local consultation law and include severance above statutory minimums. Employees affected would keep their laptop and receive extended benefits for 3 months.
- The board asked that travel expense reductions not affect the annual team offsites.

## 4. Decisions and actions
- Approved: hiring freeze effective 1 October 2026, with exceptions approved by the CEO and CFO.
- CFO to present a revised 2027 budget at the December meeting.
- Head of People to prepare a communication plan. No internal communication before the plan is approved.
- Next board meeting: 8 December 2026.`,
  },
  {
    id: 'postmortem-credential-stuffing-2026-08',
    title: 'Incident postmortem: credential stuffing attempt, August 2026',
    url: `${BASE_URL}/security/confidential/postmortem-credential-stuffing-2026-08`,
    metadata: {
      department: 'Security',
      owner: 'security@northwind-labs.example',
      updated: '2026-08-19',
      type: 'postmortem',
      severity: 'SEV2',
      confidential: true,
    },
    acl: { groups: ['security'] },
    text: `# Incident postmortem: credential stuffing attempt, August 2026

Restricted: Security team only. Severity: SEV2. Status: resolved. This postmortem is blameless.

## Summary
Between 11 August 2026 at 21:40 and 12 August at 03:15 Lisbon time, an attacker ran a credential stuffing attack against the customer login endpoint, using username and password pairs from a third-party breach. About 410,000 login attempts came from roughly 6,000 residential proxy IP addresses. 37 customer accounts were accessed successfully because their users had reused passwords and had not enabled MFA. No Northwind employee accounts, internal systems or laptops were affected.

## Timeline (Lisbon time)
- **21:40**: failed login rate rises from a baseline of 30 per minute to 1,800 per minute.
- **22:05**: alert fires; the platform on-call engineer acknowledges and declares a SEV3.
- **22:30**: security on-call joins, identifies credential stuffing and raises the incident to SEV2.
- **23:10**: stricter rate limits deployed per account and per network range.
- **00:20**: attacker adapts by slowing down; bot detection challenge enabled on the login page.
- **03:15**: attack traffic stops.
- **12 August, 10:00**: the 37 affected accounts are locked, sessions revoked, passwords reset, and customers notified.

## Impact
- 37 accounts across 9 customer workspaces were accessed. The attacker viewed project lists in 12 accounts; no data exports were recorded.
- The DPO assessed the event and notified the supervisory authority within 72 hours as a precaution. Affected customers were contacted by their account managers.

## What went well
- Detection fired within 25 minutes.
- Login event logs were complete, which made it possible to identify every successful login.

## What went wrong
- The initial severity was too low; the runbook did not mention credential stuffing.
- Rate limits were per IP address only, which is ineffective against proxy networks.
- Breached-password checks were not enabled at sign-up or password change.

## Action items
1. Enable breached-password screening at login and password change (owner: identity team, due 15 September). Done.
2. Add per-account and adaptive rate limits (owner: platform team, due 30 September).
3. Offer MFA prominently to all customer admins and require it for admin roles (owner: product, due Q4).
4. Update the incident response runbook with an authentication-attack section (owner: security, due 1 September). Done.
5. Review incident tooling expense for a managed bot protection service (owner: Head of Security, due 31 October).`,
  },
];
