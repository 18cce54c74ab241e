"""The words of the demo program: nine modules, written for Huddle. Data only; lessons/demo/__init__.py builds it."""


def q(question, options, explanation):
    """A knowledge-check question; options are (text, correct) pairs."""
    return {
        "question": question,
        "options": [{"text": text, "correct": correct} for text, correct in options],
        "explanation": explanation,
    }


MODULES = [
    {
        "slug": "from-seller-to-leader",
        "title": "From Top Seller to Sales Leader",
        "summary": "The skills that made you a great seller are not the ones that make a great leader. "
        "This step resets what your job is now.",
        "lessons": [
            {
                "slug": "why-the-best-seller-struggles",
                "title": "Why the best seller often struggles as a manager",
                "summary": "Your success now comes through other people. That changes what a good day looks like.",
                "free_preview": True,
                "text": [
                    "Most sales managers earned the job by selling more than anyone else. Then, on the first day "
                    "in the new role, the thing they were best at becomes the thing they should do least.",
                    "When a deal wobbles, the instinct is to step in and close it. It feels helpful and it saves the "
                    "month. It also teaches the rep that the manager will rescue them, and it keeps you from the "
                    "work only you can do: setting the standard, coaching, and following up.",
                ],
                "takeaway": "Your scoreboard changed: you win when your people sell, not when you do.",
                "reflection": "Think of the last deal you closed for someone on your team. What would they have "
                "learned if you had coached them through it instead?",
            },
            {
                "slug": "your-week-as-a-leader",
                "title": "What your week should look like",
                "summary": "A leader's calendar has a rhythm: team time, one-on-one time, and thinking time.",
                "text": [
                    "A sales leader's week has three kinds of time. Team time is the huddle and the sales meeting. "
                    "One-on-one time is coaching each person against their own numbers. Thinking time is planning "
                    "the month, reviewing the pipeline and preparing the hard conversations.",
                    "If your calendar is all reaction, the month runs you. Block the three kinds of time first and "
                    "let everything else fit around them.",
                ],
                "quiz": [
                    q(
                        "Which of these belongs in a sales leader's protected time each week?",
                        [("One-on-one coaching", True), ("Planning the month", True), ("Closing reps' deals", False)],
                        "Coaching and planning are the leader's work. Closing deals for reps feels productive but "
                        "keeps them dependent on you.",
                    )
                ],
            },
        ],
    },
    {
        "slug": "build-the-team",
        "title": "Build the Team You Need",
        "summary": "Hiring, onboarding and keeping a bench of talent, so one resignation never sinks a quarter.",
        "lessons": [
            {
                "slug": "hire-for-habits",
                "title": "Hire for the habits you cannot teach",
                "summary": "Product knowledge can be taught in weeks. Follow-through and coachability cannot.",
                "text": [
                    "When you interview, it is tempting to hire the most polished talker. Polish fades; habits stay. "
                    "Look for evidence that a candidate follows up without being chased, asks for feedback, and has "
                    "kept a routine through a slow season.",
                    "Ask for specifics: the last time they missed a goal, what they changed, and what happened next.",
                ],
                "reflection": "Which habit do your strongest people share that you have never asked about in an "
                "interview?",
            },
            {
                "slug": "first-thirty-days",
                "title": "The first thirty days of a new sales consultant",
                "summary": "A clear plan for the first month sets the standard before bad habits form.",
                "text": [
                    "New people decide quickly what the real standard is. If nobody checks their follow-up in week "
                    "one, they learn that follow-up is optional.",
                    "Write a thirty-day plan with weekly goals: product and community knowledge, shadowing, the CRM, "
                    "and the first appointments they run themselves, with you reviewing each one.",
                ],
                "takeaway": "The first month teaches the standard. Make sure it teaches the right one.",
            },
            {
                "slug": "always-be-recruiting",
                "title": "Keep a bench: always be recruiting",
                "summary": "The best time to meet your next great hire is before you need one.",
                "required": False,
                "text": [
                    "Keep a short list of people you would hire tomorrow: agents you meet at closings, sellers at "
                    "competing communities, referrals from your best people. Have a coffee with one of them each "
                    "month.",
                    "A bench changes how you lead. You can hold the standard because losing one person is no "
                    "longer a crisis.",
                ],
            },
        ],
    },
    {
        "slug": "set-the-standard",
        "title": "Set the Standard",
        "summary": "People cannot meet a standard they cannot see. Write it down and make it about more than revenue.",
        "lessons": [
            {
                "slug": "what-good-looks-like",
                "title": "Write down what good looks like",
                "summary": "A one-page standard removes guesswork for your team and for you.",
                "text": [
                    "Ask five managers what a good month looks like and you will hear five answers. Ask their reps "
                    "and you will hear twenty. A written standard ends the guessing.",
                    "Keep it to one page: the monthly sales target, the activity that leads to it, the customer "
                    "experience you expect, and how paperwork and the CRM are kept.",
                ],
                "reflection": "If a new rep asked you today what a good month looks like, what would you say?",
            },
            {
                "slug": "beyond-revenue",
                "title": "Accountable for more than revenue",
                "summary": "Customer satisfaction, clean paperwork and following the system count too.",
                "text": [
                    "Revenue is the result; it is not the whole job. A rep who sells well but leaves a trail of "
                    "unhappy buyers and missing documents costs the company more than the commission shows.",
                    "Hold people accountable for sales results, customer satisfaction ratings, accurate paperwork, "
                    "and following the process you have agreed as a team.",
                ],
                "quiz": [
                    q(
                        "Which of these should a rep be held accountable for?",
                        [
                            ("Sales results", True),
                            ("Customer satisfaction ratings", True),
                            ("Clean, complete paperwork", True),
                            ("The weather on the weekend", False),
                        ],
                        "Results, customer experience and following the system all belong in the standard.",
                    )
                ],
            },
        ],
    },
    {
        "slug": "huddles-that-energize",
        "title": "Run Huddles That Energize",
        "summary": "Short, regular team meetings that focus attention on the next sale, not on last month's excuses.",
        "lessons": [
            {
                "slug": "the-weekly-huddle",
                "title": "The weekly huddle in twenty minutes",
                "summary": "A simple agenda that keeps the team meeting short, upbeat and useful.",
                "free_preview": True,
                "text": [
                    "A good huddle is short and has the same shape every week: one win to celebrate, the numbers so "
                    "far this month, one skill to practise, and each person's next most important appointment.",
                    "Start on time even if someone is late. The team learns that the huddle matters because you "
                    "treat it as if it does.",
                ],
                "takeaway": "Same time, same shape, twenty minutes: consistency makes the huddle a habit.",
            },
            {
                "slug": "coach-in-the-huddle",
                "title": "Coach in the huddle, don't close for them",
                "summary": "Use the huddle to build skill across the whole team at once.",
                "text": [
                    "When a rep brings a stuck deal to the huddle, resist giving the answer. Ask the room: what would "
                    "you try next? The rep hears several options and the team practises thinking like closers.",
                    "Finish by asking the rep which idea they will try and when. Then follow up.",
                ],
                "quote": ("Ask before you answer. The team learns more from the question.", "A sales director"),
            },
        ],
    },
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
