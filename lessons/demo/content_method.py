"""The words of the demo program, modules five to nine and the worksheets (lessons/demo/content.py
holds the first four)."""

from .content import q

METHOD_MODULES = [
    {
        "slug": "accountability-system",
        "title": "The Accountability System: Five Steps",
        "summary": "Holding people accountable is simple but not easy. Five steps, done every month, make it routine.",
        "lessons": [
            {
                "slug": "establish-and-communicate",
                "title": "Step 1: Establish and communicate",
                "summary": "Targets and key metrics reach every rep clearly, specifically and on time.",
                "text": [
                    "Accountability starts before the month does. Each person needs their own target and the few "
                    "metrics that lead to it, in writing, by the first of the month.",
                    "Late targets send a message: the month does not really start until the manager gets round to "
                    "it. Specific, on-time targets say the opposite.",
                ],
                "quiz": [
                    q(
                        "When should each rep receive their monthly target?",
                        [
                            ("On the first of the month", True),
                            ("After the first sales meeting", False),
                            ("Only if they ask", False),
                        ],
                        "On the first, every month. A target that arrives mid-month has already cost a week.",
                    ),
                    q(
                        "What makes a target clear?",
                        [
                            ("It is specific to the person", True),
                            ("It is in writing", True),
                            ("It is the same vague goal for everyone", False),
                        ],
                        "Clear targets are personal, specific and written down.",
                    ),
                ],
                "worksheet": "targets",
                "apply": (
                    "Send every person on your team their own target and key metrics before 9 am on the "
                    "first of next month.",
                    1,
                ),
            },
            {
                "slug": "publish",
                "title": "Step 2: Publish",
                "summary": "Share results consistently and on time; where your focus goes, the team's follows.",
                "text": [
                    "Publish results on the same day every week and talk about them in the team meeting. Include "
                    "rankings: people want to know where they stand.",
                    "Publishing is not shaming. Say what the numbers are, point out progress, and move on to what "
                    "the team will do next.",
                ],
                "reflection": "How would your team describe the way results are shared today?",
                "apply": (
                    "Pick a day and time for publishing results each week, and publish this week's numbers then.",
                    2,
                ),
            },
            {
                "slug": "track-and-review",
                "title": "Step 3: Track and review",
                "summary": "A monthly one-on-one with every direct report, held without fail. This is where the work "
                "happens.",
                "text": [
                    "Tracking tells you where each person stands; reviewing it together changes what happens next. "
                    "Hold a one-on-one with every direct report every month and never let it slip.",
                    "Bring the numbers, ask what is working, agree one or two actions, and write them down so you can "
                    "check them next time.",
                ],
                "apply": ("Book next month's one-on-one with every direct report now, before the calendar fills.", 3),
            },
            {
                "slug": "address",
                "title": "Step 4: Address",
                "summary": "Deal with performance below the standard promptly: coach the person up, or out.",
                "text": [
                    "Many managers skip this step because nobody taught them how. Waiting feels kind, but it is not: "
                    "the rep keeps struggling and the team watches the standard slip.",
                    "Be firm but fair. First find out why performance is low: skill, will, or something outside work. "
                    "Then agree a plan with dates, support it, and follow through on what you said would happen.",
                ],
                "quiz": [
                    q(
                        "A rep has missed target three months running. What comes first?",
                        [
                            ("Find out why performance is low", True),
                            ("Wait another month to be sure", False),
                            ("Move their leads to someone else without a word", False),
                        ],
                        "Firm but fair: understand the cause, then act promptly with a clear plan.",
                    )
                ],
                "reflection": "Whose performance have you been waiting on? What is the first conversation you need "
                "to have?",
                "apply": (
                    "Choose one person below the standard and hold the first, fact-based conversation this week.",
                    4,
                ),
            },
            {
                "slug": "celebrate",
                "title": "Step 5: Celebrate",
                "summary": "Celebrate success, including personal bests from people in the middle of the pack.",
                "text": [
                    "Recognition is not only for the top three. A personal best from a steady performer is worth "
                    "celebrating, and the rest of the team notices that effort is seen.",
                    "Be specific and prompt: say what the person did, why it mattered, and do it while everyone still "
                    "remembers the month.",
                ],
                "apply": (
                    "Recognise one personal best in your next team meeting, naming exactly what the person did.",
                    5,
                ),
            },
        ],
    },
    {
        "slug": "one-on-ones",
        "title": "One-on-Ones That Move Numbers",
        "summary": "Turn the monthly one-on-one into the most useful half hour of each rep's month.",
        "lessons": [
            {
                "slug": "prepare-in-ten-minutes",
                "title": "Prepare in ten minutes",
                "summary": "Numbers, last month's actions, and one question: that is all the preparation you need.",
                "text": [
                    "Before each one-on-one, look at three things: the person's results against target, the actions "
                    "you agreed last time, and one question you want to ask.",
                    "Ten minutes of preparation shows the rep that the meeting is about them, not a status update.",
                ],
                "worksheet": "one-on-one",
            },
            {
                "slug": "the-conversation",
                "title": "The conversation agenda",
                "summary": "Start with wins, review the numbers, agree actions, and end with support.",
                "text": [
                    "Open with what went well. Review the numbers together, and let the rep explain them first. Agree "
                    "one or two actions with dates.",
                    "Close with the question leaders forget: what do you need from me? Accountability goes both ways.",
                ],
                "quiz": [
                    q(
                        "How should a one-on-one end?",
                        [("By asking what the rep needs from you", True), ("With a list of complaints", False)],
                        "Accountability goes both ways: you are accountable for supporting them too.",
                    )
                ],
                "reflection": "What did you last commit to doing for someone on your team, and did you do it?",
            },
            {
                "slug": "follow-up-in-writing",
                "title": "Follow up in writing",
                "summary": "A three-line note after each one-on-one makes the next one easier.",
                "text": [
                    "Send a short note the same day: what you discussed, the actions agreed, and the date of the next "
                    "meeting. It takes two minutes and removes any doubt about what was said.",
                ],
            },
        ],
    },
    {
        "slug": "recognition",
        "title": "Recognition That Lasts",
        "summary": "Make recognition specific, public and fair, so it motivates the whole team.",
        "lessons": [
            {
                "slug": "personal-bests",
                "title": "Celebrate personal bests",
                "summary": "The middle of your team is where recognition changes the most.",
                "text": [
                    "Your top performers already know they are good. The people in the middle of the rankings often "
                    "wonder whether anyone notices. A personal best is the moment to show them.",
                ],
                "reflection": "Who on your team had a personal best recently that nobody mentioned?",
            },
            {
                "slug": "public-and-specific",
                "title": "Make it public and specific",
                "summary": "Vague praise is forgotten by lunchtime. Specific praise is repeated.",
                "text": [
                    "Say exactly what the person did: the follow-up call that saved a contract, the buyer who sent a "
                    "thank-you note. Specific recognition teaches the whole team what good looks like.",
                ],
                "takeaway": "Specific beats generous: name the behaviour you want more of.",
            },
        ],
    },
    {
        "slug": "read-the-pipeline",
        "title": "Read the Pipeline",
        "summary": "Spot next month's problem this month, using a few honest numbers.",
        "lessons": [
            {
                "slug": "traffic-appointments-contracts",
                "title": "Traffic, appointments, contracts",
                "summary": "Three numbers tell you most of what you need to know about next month.",
                "text": [
                    "Every sale passes through the same stages: a visitor, an appointment, a contract. Track each "
                    "rep's numbers at each stage and you will see where a month is being lost.",
                ],
            },
            {
                "slug": "spot-the-leak",
                "title": "Spot the leak early",
                "summary": "A drop at one stage is a coaching topic, not a verdict.",
                "text": [
                    "If a rep has plenty of visitors but few appointments, the gap is in the first conversation. If "
                    "appointments do not become contracts, look at follow-up. Each leak points to one skill to coach.",
                ],
                "reflection": "Where is your team's biggest leak between visitor and contract?",
            },
            {
                "slug": "honest-forecast",
                "title": "Forecast without wishful thinking",
                "summary": "Count what is likely, not what is hoped for.",
                "required": False,
                "text": [
                    "Ask each rep for the contracts they expect this month and the next step for each one. A deal with "
                    "no next step on the calendar is a hope, not a forecast.",
                ],
            },
        ],
    },
    {
        "slug": "lead-yourself",
        "title": "Lead Yourself Consistently",
        "summary": "Consistency is the whole game. Build the monthly rhythm into your own calendar.",
        "lessons": [
            {
                "slug": "protect-your-rhythm",
                "title": "Protect your monthly rhythm",
                "summary": "The five steps only work if you do all of them, every month.",
                "text": [
                    "Leaders who hold people accountable only after a bad month teach the team to wait for the storm "
                    "to pass. Doing all five steps every month turns accountability into routine, and routine is "
                    "what frees your time.",
                ],
                "takeaway": "Consistency is paramount: a simple system done every month beats a brilliant one done "
                "sometimes.",
            },
            {
                "slug": "ninety-day-plan",
                "title": "Your ninety-day plan",
                "summary": "Turn the nine steps into three months of specific actions.",
                "text": [
                    "Choose the two steps where your team will gain the most, and write down what you will do in each "
                    "of the next three months. Put the dates in your calendar today.",
                ],
                "worksheet": "ninety-day",
                "reflection": "Which two of the nine steps will make the biggest difference to your team, and why?",
            },
        ],
    },
]

WORKSHEETS = {
    "targets": {
        "title": "Monthly targets worksheet",
        "intro": "One line per person: their target and the two metrics that lead to it. Send it before the first.",
        "columns": ["Team member", "Sales target", "Key metric 1", "Key metric 2", "Sent on"],
        "rows": 10,
    },
    "one-on-one": {
        "title": "One-on-one planner",
        "intro": "Ten minutes of preparation before each monthly one-on-one.",
        "columns": ["Results vs target", "Actions agreed last time", "Question to ask", "Support they need"],
        "rows": 6,
    },
    "ninety-day": {
        "title": "Ninety-day plan",
        "intro": "Two steps, three months, specific actions with dates.",
        "columns": ["Month", "Step", "Action", "Date in calendar"],
        "rows": 6,
    },
}
