"""Prompts by part of life. Pure data: the brainstorm page walks through them in order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    slug: str
    title: str
    question: str
    nudge: str
    relationship: str


PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "last-job",
        "Your last job",
        "Who did you work with in your most recent job?",
        "Your manager, your team, the person at the next desk, the people in other teams "
        "you got on with, the supplier you liked.",
        "former_colleague",
    ),
    Prompt(
        "job-before",
        "The job before that",
        "And in the job before that?",
        "People move on: a former colleague may now work somewhere you'd love to be.",
        "former_colleague",
    ),
    Prompt(
        "earlier-jobs",
        "Earlier jobs",
        "Anyone from the job before that, or a summer job?",
        "Even people you haven't spoken to in years. Old ties are often glad to hear from you.",
        "former_colleague",
    ),
    Prompt(
        "school",
        "School and study",
        "Who do you know from school, college or a course?",
        "Classmates, teachers, tutors, people from a bootcamp or evening class.",
        "classmate",
    ),
    Prompt(
        "neighbours",
        "Neighbours",
        "Who lives near you, or used to?",
        "The neighbour you chat with, the parents at the school gate.",
        "acquaintance",
    ),
    Prompt(
        "hobbies",
        "Hobbies and clubs",
        "Who do you see at clubs, teams, or places of worship?",
        "The running club, the choir, the five-a-side team, volunteering.",
        "acquaintance",
    ),
    Prompt(
        "family-friends",
        "Family and family's friends",
        "Who in your family, or among their friends, might know someone?",
        "Your parents' friends, your partner's colleagues, cousins, in-laws.",
        "family",
    ),
    Prompt(
        "recruiters",
        "Recruiters you've met",
        "Which recruiters or hiring managers have you talked to?",
        "Even the ones from years ago. Finding people is their whole job.",
        "recruiter",
    ),
    Prompt(
        "asked-you",
        "People who once asked you for help",
        "Who has asked you for advice, a reference or a favour?",
        "People like to return a kindness. Many will be glad you asked.",
        "acquaintance",
    ),
)

BY_SLUG = {p.slug: p for p in PROMPTS}


def next_prompt(slug: str) -> Prompt | None:
    slugs = [p.slug for p in PROMPTS]
    index = slugs.index(slug) if slug in slugs else -1
    return PROMPTS[index + 1] if index + 1 < len(PROMPTS) else None
