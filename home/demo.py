"""The coach's site: home, about, coaching, workshops and contact pages, and site settings."""

from wagtail.models import Page, Site

from .models import HomePage, SiteSettings, StandardPage


def _link(label: str, url: str) -> dict:
    return {"label": label, "page": None, "url": url}


HOME_BODY = [
    (
        "hero",
        {
            "eyebrow": "Sales leadership coaching",
            "heading": "Lead a sales team that delivers, month after month",
            "text": "Most sales managers were promoted for selling, not for leading. Huddle gives you a "
            "simple monthly rhythm for targets, results, one-on-ones and recognition, so your "
            "people know where they stand and you get your evenings back.",
            "image": None,
            "primary": _link("Explore the 9-step program", "/program/"),
            "secondary": _link("Join the free webinar", "/webinars/"),
        },
    ),
    (
        "offerings",
        {
            "heading": "Ways to work together",
            "intro": "Start free, learn at your own pace, or bring your whole sales floor along.",
            "items": [
                {
                    "title": "The 9-step online program",
                    "text": "Nine short modules that turn a team of individual sellers into a team that holds itself to a standard. Take it in an evening a week.",
                    "link": _link("See the program", "/program/"),
                },
                {
                    "title": "Free monthly webinar",
                    "text": "Forty-five minutes on five strategies that build a culture of high performance, with time for your questions.",
                    "link": _link("Save a seat", "/webinars/"),
                },
                {
                    "title": "Virtual workshops",
                    "text": "Live, interactive sessions for your sales managers or your whole sales team, shaped around your numbers.",
                    "link": _link("Workshop topics", "/workshops/"),
                },
                {
                    "title": "1:1 coaching",
                    "text": "A confidential sounding board for the conversations you keep putting off and the quarter you cannot afford to miss.",
                    "link": _link("How coaching works", "/coaching/"),
                },
            ],
        },
    ),
    (
        "testimonials",
        {
            "heading": "What sales leaders tell us",
            "items": [
                {
                    "quote": "I used to dread month-end. Now my reps know their numbers on the first, and our one-on-ones are about the next deal, not excuses.",
                    "name": "Regional sales director",
                    "role": "Production homebuilder, 40 communities",
                },
                {
                    "quote": "The celebration step surprised me. Recognising a personal best from a rep in the middle of the pack changed the mood of the whole office.",
                    "name": "Sales manager",
                    "role": "Residential brokerage",
                },
                {
                    "quote": "Simple, not easy: exactly as promised. The tracker keeps me honest about doing all five steps.",
                    "name": "VP of sales",
                    "role": "Regional builder",
                },
            ],
        },
    ),
    (
        "cta",
        {
            "heading": "Not sure where to start?",
            "text": "Join the free webinar and leave with one change you can make at your next sales meeting.",
            "button": _link("Register for free", "/webinars/"),
        },
    ),
]

PAGES = [
    {
        "slug": "about",
        "title": "About",
        "show_in_menus": True,
        "intro": "Two decades running sales floors for builders taught one lesson: people rise to a standard that is clear, public and fair.",
        "body": [
            (
                "text",
                "<p>Dana Whitfield spent twenty years in new-home sales, first on the model-home floor and then leading teams of up to sixty sales consultants across three states. Her teams were known for two things: they hit their numbers, and people wanted to work there.</p>"
                "<p>She noticed that the managers who struggled were rarely short of talent or effort. They were short of a system. They held people accountable in bursts, usually after a bad month, and then went quiet again.</p>",
            ),
            ("heading", "Why Huddle exists"),
            (
                "text",
                "<p>Huddle packages the rhythm Dana used every month into a program any sales manager can follow: set and communicate targets, publish the results, review them one-on-one, address what is below standard, and celebrate what is working. The online tracker makes the rhythm easy to keep.</p>",
            ),
        ],
    },
    {
        "slug": "coaching",
        "title": "Coaching",
        "show_in_menus": True,
        "intro": "Private coaching for sales leaders who want a thinking partner with a quota of her own in her past.",
        "body": [
            (
                "text",
                "<p>Coaching runs in blocks of six sessions over three months. We start with your numbers and your team, pick the two or three habits that will move them most, and meet every other week to keep you on track.</p>"
                "<ul><li>A confidential space for hard conversations before you have them</li><li>Preparation for performance reviews and improvement plans</li><li>A review of your monthly accountability rhythm</li></ul>",
            ),
            (
                "cta",
                {
                    "heading": "Ask about availability",
                    "text": "Coaching places are limited each quarter.",
                    "button": _link("Contact us", "/contact/"),
                },
            ),
        ],
    },
    {
        "slug": "workshops",
        "title": "Workshops",
        "show_in_menus": True,
        "intro": "Live, virtual workshops for sales managers and sales teams, built around your own targets and results.",
        "body": [
            (
                "offerings",
                {
                    "heading": "Popular workshop topics",
                    "intro": "",
                    "items": [
                        {
                            "title": "Accountability without awkwardness",
                            "text": "The five monthly steps, practised with your real numbers.",
                        },
                        {
                            "title": "One-on-ones that matter",
                            "text": "A simple agenda that turns a monthly meeting into a coaching moment.",
                        },
                        {
                            "title": "Celebrating the right things",
                            "text": "Recognition that motivates the whole team, not just the top seller.",
                        },
                    ],
                },
            ),
        ],
    },
    {
        "slug": "contact",
        "title": "Contact",
        "show_in_menus": True,
        "intro": "Questions about the program, company seats, workshops or coaching? We answer within one working day.",
        "body": [
            (
                "text",
                '<p>Email <a href="mailto:hello@huddle.test">hello@huddle.test</a> or call (555) 010-2026, Monday to Friday, 9am to 5pm Eastern.</p>',
            )
        ],
    },
]


def _get_home() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    # Wagtail's migration creates a placeholder page at the root's "home" slug; replace it.
    for child in root.get_children():
        if child.slug == "home" and not isinstance(child.specific, HomePage):
            child.delete()
    home = HomePage(
        title="Huddle",
        slug="home",
        seo_title="Huddle · Sales leadership coaching",
        intro="Coaching, an online program and a tracker that help sales managers hold their teams accountable every month.",
        body=HOME_BODY,
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    return home


def seed(*, log) -> None:
    home = _get_home()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Huddle"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Huddle"
        site.save()
    for data in PAGES:
        if StandardPage.objects.filter(slug=data["slug"]).exists():
            continue
        page = StandardPage(**data)
        home.add_child(instance=page)
        page.save_revision().publish()
        log(f"page /{data['slug']}/")
    settings = SiteSettings.for_site(site)
    if not settings.coach_name:
        settings.brand_name = "Huddle"
        settings.tagline = "Sales leadership, made consistent"
        settings.coach_name = "Dana Whitfield"
        settings.contact_email = "hello@huddle.test"
        settings.linkedin_url = "https://www.linkedin.com/"
        settings.save()
