"""Who may GET each URL. One line per URL name (or unnamed route) and per page type. A new URL
without a line here fails `test_every_url_has_a_rule`: whoever adds a URL decides who may see it.

Outcomes (see walker.outcome): "shown" (200, or a redirect onto the first leader's own pages),
"moved" (a redirect elsewhere: to the visitor's own things, a paywall, a form), "refused" (4xx), "login"
(a redirect to a login form), "error" (5xx: never allowed). Every role that is not allowed "shown"
(nor "posts") is also POSTed to, and must change nothing and answer "refused", "login" or "moved"
(a redirect away, e.g. to the program's offer)."""

from .world import ROLES

SHOWN, MOVED, REFUSED, LOGIN = "shown", "moved", "refused", "login"
# A POST-only view: its GET is 405 for this role, who may POST (the walker does not POST as them).
POSTS = frozenset({REFUSED, "posts"})
NOT_AN_ERROR = frozenset({SHOWN, MOVED, REFUSED, LOGIN})
DENIED = frozenset({REFUSED, LOGIN})


def rule(default, **roles) -> dict:
    """Each role -> the outcomes it may get; `default` for the roles not named."""
    return {role: frozenset(roles.get(role, default)) for role in ROLES}


# Public, or guarded by a signed token/key in the URL (the walker holds none): anything but a 500.
ANYONE = rule(NOT_AN_ERROR)
# Pages about the visitor themselves: any account; anonymous is sent to log in.
SIGNED_IN = rule({SHOWN, MOVED, REFUSED}, anonymous={LOGIN})
# The first leader's team: its owner and its (accepted) co-leader, nobody else.
TEAM = rule(DENIED, leader={SHOWN}, coleader={SHOWN})
# POST-only actions on the team: a GET is 405 for the team's leaders, refused for everyone else.
TEAM_ACTION = rule(DENIED, leader=POSTS, coleader=POSTS)
# Tracker pages about the visitor's own teams: anyone with tracker access (leaders, co-leaders, the coach).
TRACKER_USER = rule(
    DENIED, leader={SHOWN, MOVED}, other_leader={SHOWN, MOVED}, coleader={SHOWN, MOVED}, coach={SHOWN, MOVED}
)
# The coach's own pages.
COACH = rule(DENIED, coach={SHOWN})
# The first leader's certificate: its holder and the coach.
CERTIFICATE = rule(DENIED, leader={SHOWN}, coach={SHOWN})
# A company's seat purchase: its buyer only.
BUYER = rule(DENIED, buyer={SHOWN})
# POST-only, signed-in actions (405 on GET; their POSTs are checked by their own tests per owner).
SIGNED_IN_ACTION = rule(POSTS, anonymous={LOGIN, REFUSED})
# POST-only lesson actions: the enrolled (and the coach) answer quizzes, reflect, commit.
LESSON_ACTION = rule({REFUSED}, leader=POSTS, other_leader=POSTS, coach=POSTS)

RULES = {
    # Logging in and the account (allauth): doors for anyone, account pages for the signed in.
    "account_login": ANYONE,
    "account_logout": ANYONE,
    "account_inactive": ANYONE,
    "account_signup": ANYONE,
    "account_reauthenticate": SIGNED_IN,
    "account_email": SIGNED_IN,
    "account_email_verification_sent": ANYONE,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "account_reset_password": ANYONE,
    "account_confirm_login_code": ANYONE,
    "account_confirm_email": ANYONE,
    "account_reset_password_from_key_done": ANYONE,
    "account_reset_password_from_key": ANYONE,
    "account_reset_password_done": ANYONE,
    "accounts:dashboard": SIGNED_IN,
    "accounts:profile": SIGNED_IN,
    "accounts:data_export": SIGNED_IN,
    "accounts:account_delete": SIGNED_IN,
    # The Wagtail/Django admin login doors the resolver lists outside their prefixes.
    "admin/login/": ANYONE,
    "_util/login/": ANYONE,
    "admin/password_reset/": ANYONE,
    "wagtailcore_login": ANYONE,
    "wagtailcore_authenticate_with_password": ANYONE,
    "wagtaildocs_serve": ANYONE,  # the document gate has its own tests (drip, enrollment)
    "wagtaildocs_authenticate_with_password": ANYONE,
    "wagtail_serve": ANYONE,  # the page tree: see PAGE_RULES
    # Site.
    "home:healthz": ANYONE,
    "home:robots": ANYONE,
    "sitemap": ANYONE,
    "metrics": ANYONE,  # 404 unless the scrape token is set
    "home:newsletter_subscribe": ANYONE,
    "home:newsletter_confirm": ANYONE,
    "home:newsletter_unsubscribe": ANYONE,
    "program:webinar_cancel": ANYONE,
    "program:webinar_join": ANYONE,
    # Payments.
    "payments:checkout_start": SIGNED_IN,
    "payments:checkout_success": SIGNED_IN,
    "payments:checkout_cancel": ANYONE,
    "payments:stripe_webhook": ANYONE,  # signed by Stripe
    "payments:billing_portal": SIGNED_IN_ACTION,
    "payments:company": SIGNED_IN,  # the visitor's own purchases (the buyer is sent to theirs)
    "payments:company_detail": BUYER,
    "payments:company_more_seats": BUYER,
    "payments:company_billing": rule(DENIED, buyer=POSTS),  # POST-only: the buyer's billing details
    "payments:invitation_revoke": rule(DENIED, buyer=POSTS),
    "payments:invitation_reassign": rule(DENIED, buyer=POSTS),
    "payments:seat_accept": ANYONE,
    # Certificates: the public verification, and the holder's own copy.
    "certificates:issuer": ANYONE,
    "certificates:jwks": ANYONE,
    "certificates:status_list": ANYONE,
    "certificates:check": ANYONE,
    "certificates:verify_json": ANYONE,
    "certificates:verify_jwt": ANYONE,
    "certificates:verify": ANYONE,
    "certificates:detail": CERTIFICATE,
    "certificates:download": CERTIFICATE,
    "certificates:reissue": rule(DENIED, leader=POSTS, coach=POSTS),
    "certificates:paper_size": rule(DENIED, leader=POSTS, coach=POSTS),
    # Lessons.
    "lessons:search": ANYONE,
    "lessons:complete": LESSON_ACTION,
    "lessons:quiz": LESSON_ACTION,
    "lessons:reflection": LESSON_ACTION,
    "lessons:commit": LESSON_ACTION,
    "lessons:commitment_done": rule({REFUSED}, leader=POSTS),  # the commitment's own author
    "lessons:funnel": COACH,
    "lessons:my_reflections": SIGNED_IN,  # the visitor's own reflections
    # Tracker.
    "tracker:team_list": TRACKER_USER,
    "tracker:step": TRACKER_USER,
    "tracker:step_lesson": TRACKER_USER,
    "tracker:acknowledge": ANYONE,
    "tracker:coleader_accept": rule({REFUSED}, anonymous={LOGIN}),  # a link bound to the invited address
    # Only the team's owner manages co-leaders: the co-leader gets a 404 like everyone else.
    "tracker:coleader_invitation_withdraw": rule(DENIED, leader={SHOWN}),
    "tracker:rhythm_unsubscribe": ANYONE,
    "tracker:board": ANYONE,  # the shared board link: anyone holding its unguessable key, until revoked
    "tracker:scorecard": ANYONE,
    "tracker:coach_consistency": COACH,  # was staff-only (is_staff), which locked the coach out
    "tracker:coach_console": COACH,  # the monthly rhythm of the consenting leaders
    "tracker:coach_nudge": rule(DENIED, coach=POSTS),  # POST-only: the console's step-slipped nudges
    "tracker:coach_leader": COACH,  # the coach's page about one leader (the first leader), with her notes
    "tracker:company_adoption": BUYER,  # the buyer's seats: progress and (shared only) the rhythm
}
for _name in [
    "team",
    "team_settings",
    "members",
    "member",
    "metrics",
    "metric",
    "targets",
    "communicate",
    "results",
    "targets_card",  # one member at a time (issue 17)
    "results_card",
    "import",
    "import_preview",
    "history",
    "history_csv",
    "rankings",
    "meeting",
    "meeting_pdf",
    "export_csv",
    "export_json",
    "reviews",
    "one_on_one",
    "plan_new",
    "plan",
    "plan_pdf",
    "celebrations",
    "consistency",
    "rhythm_settings",
    "rhythm_waiting",
    "share",
    "targets_current",
    "results_current",
    "rankings_current",
    "reviews_current",
    "celebrations_current",
    "share_current",
    "history_cell",
    "one_on_one_ics",
    "one_on_one_cancel",  # GET asks first; POST cancels (only a scheduled 1:1)
    "import_undo",
    "annual_targets",
    "seasonality_profiles",
]:
    RULES[f"tracker:{_name}"] = TEAM
for _name in [
    "member_active",
    "metric_move",
    "import_apply",
    "history_restore",
    "meeting_presented",
    "board_link_new",
    "board_link_revoke",
]:
    RULES[f"tracker:{_name}"] = TEAM_ACTION
for _name in ["one_on_one_invite", "action_item_done", "celebration_note", "one_on_ones_from_slots"]:
    RULES[f"tracker:{_name}"] = rule({REFUSED}, leader=POSTS, coleader=POSTS)  # POST-only

# Page types in the page tree. The lesson's body ("SECRET body of ...") must show only to the
# enrolled and the coach (see PAGE_SECRETS); the others see the offer.
PAGE_RULES = {
    "HomePage": rule({SHOWN}),
    "ProgramPage": rule({SHOWN}),
    "ModulePage": rule({SHOWN}),
    "LessonPage": rule({SHOWN, LOGIN, REFUSED}),
    "WebinarIndexPage": rule({SHOWN}),
    "WebinarPage": rule({SHOWN}),
    "NewsletterIndexPage": rule({SHOWN}),
    "NewsletterIssuePage": rule({SHOWN}),
}
PAGE_SECRETS = {"LessonPage": ("SECRET body of", {"leader", "other_leader", "coach"})}
