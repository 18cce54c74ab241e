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


@register.simple_tag(takes_context=True)
def user_block(context, part):
    """Render a per-user body block (reflection, apply it, knowledge check) in the page's own context,
    as `{% include %}` does: Wagtail's `include_block` would copy the whole page context first."""
    block = part.block
    template_name = block.block.meta.template
    block_context = block.block.get_context(block.value)  # value, self and the block's extras
    with context.push({**block_context, "block_id": block.id}):  # a dict: the context has a "self" key
        return context.template.engine.get_template(template_name).render(context)
