"""A match reference in a heading stays on one line at 375 px (it broke at its hyphen: "L-" / "000031")."""

from django.template import Context, Template


def test_a_reference_is_kept_whole_and_the_rest_is_escaped():
    html = Template("{% load nlds %}{{ title|references_unbroken }}").render(
        Context({"title": "Matchregie van landelijke match L-000031 <b>en</b> M-000002"})
    )
    assert html == (
        'Matchregie van landelijke match <span class="vi-nowrap">L-000031</span> &lt;b&gt;en&lt;/b&gt; '
        '<span class="vi-nowrap">M-000002</span>'
    )


def test_a_word_that_only_looks_like_a_reference_is_left_alone():
    html = Template("{% load nlds %}{{ title|references_unbroken }}").render(Context({"title": "XL-12 en M-"}))
    assert html == "XL-12 en M-"
