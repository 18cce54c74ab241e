from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] or None (templates cannot index dicts by a variable)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def question_result(quiz_result, block_id, index):
    """The just-submitted answer to one question: {"chosen": [...], "correct": bool} or None."""
    if not quiz_result:
        return None
    return (quiz_result.get("answers") or {}).get(f"{block_id}-{index}")


@register.filter
def count_correct(options):
    return sum(1 for option in options if option.get("correct"))
