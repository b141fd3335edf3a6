"""Word lists for the synthetic recruitment-ad corpus.

Everything here is invented. Phone numbers use the 555-01xx block reserved for fiction, e-mail domains
are the reserved ``example.*`` names, and first names are common given names with no surname, so no
generated ad describes a real person or a real recruiter.
"""

from __future__ import annotations

NATIONALITIES: tuple[str, ...] = (
    "not mentioned",
    "Filipino",
    "Nepali",
    "Romanian",
    "Nigerian",
    "Venezuelan",
    "Ukrainian",
)
#: Groups whose benign ads share surface cues with labelled ones: the planted bias.
OVER_FLAGGED: frozenset[str] = frozenset({"Nepali", "Nigerian"})

REGIONS: tuple[str, ...] = ("capital", "north", "south", "coast", "border")

JOBS: tuple[str, ...] = (
    "cleaner",
    "caregiver",
    "farm worker",
    "factory worker",
    "kitchen assistant",
    "construction worker",
    "hotel housekeeper",
    "warehouse picker",
    "fishing crew member",
    "domestic helper",
    "delivery driver",
    "fruit picker",
    "packing operator",
    "laundry worker",
    "dishwasher",
)
CITIES: tuple[str, ...] = (
    "Riverton",
    "Eastbrook",
    "Port Selma",
    "Kingsford",
    "Marlow Bay",
    "Ashby",
    "Greenfield",
    "Oldham Vale",
)
COMPANIES: tuple[str, ...] = (
    "BrightStaff",
    "Harbor Foods",
    "GreenLeaf Farms",
    "Summit Logistics",
    "Blue Anchor Hotels",
    "CareWell",
    "Northline Packaging",
    "Meadow Fresh",
    "Atlas Builders",
    "Silverline Cleaning",
)

OPENERS: tuple[str, ...] = (
    "{company} is hiring {job}s in {city}.",
    "Now hiring: {job} positions in {city}.",
    "{job_cap} needed for a busy site near {city}.",
    "We are recruiting {job}s to start in {city}.",
)
NATIONALITY_MENTIONS: tuple[str, ...] = (
    "{nationality} workers welcome.",
    "We are looking for {nationality} applicants.",
    "Suitable for {nationality} candidates.",
    "Team of {nationality} staff already on site.",
)
FAIR_PAY: tuple[str, ...] = (
    "Pay is {wage} per hour, paid every two weeks into your own bank account.",
    "Starting wage {wage} per hour with a payslip every month.",
    "Hourly rate {wage}, overtime paid at time and a half.",
)
FAIR_CONDITIONS: tuple[str, ...] = (
    "You get a written contract in your own language before you travel.",
    "Two days off every week and paid holidays.",
    "You keep your own passport and documents at all times.",
    "No recruitment fees are charged to workers.",
    "Free training and safety equipment provided.",
    "Shifts of eight hours with a lunch break.",
    "Union representation on site.",
    "You may resign with two weeks notice.",
)
#: Cues common in labelled ads and harmless in themselves.
SHARED_CUES: tuple[str, ...] = (
    "Visa sponsorship available.",
    "Accommodation provided near the site.",
    "Travel arranged by our agency.",
    "Start immediately.",
    "Urgent hiring, many places.",
    "Transport from the airport included.",
)
#: The ILO forced-labour indicators, written as they appear in recruitment ads.
INDICATORS: dict[str, tuple[str, ...]] = {
    "deception": (
        "Earn {big} per month, no experience or language needed!",
        "Job details will be explained after you arrive.",
    ),
    "withheld_documents": (
        "The employer keeps your passport safe during the contract.",
        "Hand in your ID documents on arrival for processing.",
    ),
    "debt_bondage": (
        "Travel and visa costs are deducted from your wages.",
        "The placement fee is repaid from your salary before you can leave.",
    ),
    "restricted_movement": (
        "Workers live on site and may not leave the compound without permission.",
        "Housing is guarded, outings only with the supervisor.",
    ),
    "withheld_wages": (
        "Salary is paid in full at the end of the contract.",
        "Wages are held by the agency until the season ends.",
    ),
    "isolation": (
        "No personal phones allowed at work or in housing.",
        "Contact with family is arranged by the agency.",
    ),
    "excessive_hours": (
        "Work seven days a week, up to sixteen hours a day.",
        "Be available day and night, no days off.",
    ),
}

FIRST_NAMES: tuple[str, ...] = (
    "Anna",
    "Maria",
    "Joy",
    "Elena",
    "Grace",
    "Sita",
    "Ioana",
    "Amaka",
    "Lucia",
    "Olena",
    "Rosa",
    "Mira",
    "Daniel",
    "Rico",
    "Bishal",
    "Andrei",
    "Chidi",
    "Carlos",
    "Taras",
    "Leo",
    "Nina",
    "Sam",
)
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net", "mail.example.com")
AREA_CODES: tuple[str, ...] = ("212", "305", "415", "312", "617", "213", "702", "404")
HANDLE_PLATFORMS: tuple[str, ...] = ("snap", "ig", "kik", "tg", "wickr", "insta")

NUMBER_WORDS: tuple[str, ...] = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
LOOKALIKES: dict[str, str] = {"0": "O", "1": "l", "5": "S", "8": "B"}
FULLWIDTH_OFFSET = 0xFF10 - ord("0")
KEYCAP = "\ufe0f\u20e3"
