"""The words of the demo program, modules one to four (five to nine: content_method.py), written for
Huddle. Data only; lessons/demo/__init__.py builds it."""


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
]
