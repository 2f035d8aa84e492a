"""Templates are untrusted code (issue 11, points 6 and 12).

A user template must not reach Python internals, and must not hang or exhaust crm: every failure is a
one-line CrmError naming the template, never a traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.errors import CrmError
from crm.outreach import render as render_module
from crm.outreach.render import Template, load_template, render

CONTEXT = {"contact": {"first_name": "Maya", "name": "Maya Chen", "company": "Spotify"}, "question": "why?"}


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    folder = tmp_path / "my-templates"
    folder.mkdir()
    monkeypatch.setenv("CRM_TEMPLATES", str(folder))
    return folder


def run(user_dir, body: str, name: str = "t") -> str:
    (user_dir / f"{name}.j2").write_text(body)
    return render(load_template(name), dict(CONTEXT))


def refused(user_dir, body: str) -> str:
    """The one-line message a hostile template gets."""
    with pytest.raises(CrmError) as info:
        run(user_dir, body)
    message = str(info.value)
    assert "\n" not in message and len(message) < 400, message
    assert "template t" in message or "t.j2" in message, message
    return message


# -- escapes: every known way out of the sandbox is refused ------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ contact.__class__.__base__.__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ dict.mro() }}",
    "{{ dict.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ lipsum.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ range.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ '{0.__class__}'.format(contact) }}",
    "{{ '{0.__init__.__globals__}'.format(cycler) }}",
    "{{ '{x.__class__.__mro__}'.format_map({'x': contact}) }}",
    "{{ '{0.__class__}'['format'](1) }}",
    "{{ '%s'|format(contact.__class__) }}",
    "{{ contact|attr('__class__') }}",
    "{{ contact|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ (contact|attr('items'))|attr('__self__') }}",
    "{{ cycler|attr('__init__')|attr('__globals__')|attr('__getitem__')('os') }}",
    "{% set u = (()|select|string)[24] %}{{ ()|attr(u ~ u ~ 'class' ~ u ~ u) }}",
    "{{ contact.items.__self__ }}",
    "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
    "{{ (contact|map(attribute='__class__'))|list }}",
    "{{ [contact]|map(attribute='__class__')|list }}",
    "{{ ().__class__.__base__.__subclasses__()[100].__init__.__globals__['sys'] }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_known_escapes_are_refused(user_dir, body):
    message = refused(user_dir, body)
    assert any(word in message for word in ("refused", "undefined", "unsafe", "has no")), message


def test_at_least_ten_escapes_are_covered():
    assert len(ESCAPES) >= 10


def test_lists_and_dicts_cannot_be_changed_in_place(user_dir):
    """Mutation is how a few lines double a list forever: `l.extend(l)` in a loop."""
    refused(user_dir, "{% set l = [1] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}")
    refused(user_dir, "{% set d = {} %}{{ d.update({'a': 1}) }}")


# -- denial of service: time, memory and output are bounded ------------------------------------------------------

DOS = {
    "nested ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested ranges in bounds": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "nested ranges with output": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "nested ranges filtered": "{% for i in range(10000) %}{% for j in range(10000) if false %}{% endfor %}{% endfor %}",
    "huge power": "{{ 9**(9**9) }}",
    "huge power folded": "{% set n = 9**9 %}{{ 9**n }}",
    "huge float power": "{{ 9.5**(9**9) }}",
    "huge repeat": "{{ 'x'*3000000000 }}",
    "huge repeat reversed": "{{ 3000000000*'x' }}",
    "huge list repeat": "{{ ([1]*3000000000)|length }}",
    "huge multiplication": "{% set n = 9**999 %}{{ n*n*n*n*n*n*n*n*n*n }}",
    "huge range": "{{ range(10**9)|list }}",
    "huge range length": "{{ range(10**9)|length }}",
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "branching macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "huge lipsum": "{{ lipsum(100000000) }}",
    "ljust": "{{ 'x'.ljust(3000000000) }}",
    "center filter": "{{ 'x'|center(3000000000) }}",
    "zfill": "{{ '1'.zfill(3000000000) }}",
    "to_bytes": "{{ (1).to_bytes(3000000000, 'big')|length }}",
    "printf width": "{{ '%03000000000d' % 1 }}",
    "printf star": "{{ '%*d' % (3000000000, 1) }}",
    "format filter width": "{{ '%03000000000d'|format(1) }}",
    "str.format width": "{{ '{:>3000000000}'.format(1) }}",
    "str.format nested width": "{{ '{:>{}}'.format(1, 3000000000) }}",
    "str.format many fields": "{{ ('{0:>90000}' * 100000).format(1)|length }}",
    "replace amplification": "{% set s = 'x' * 90000 %}{{ s.replace('', s)|length }}",
    "replace filter amplification": "{% set s = 'x' * 90000 %}{{ (s|replace('x', s))|length }}",
    "join amplification": "{% set s = 'x' * 90000 %}{{ ([s] * 90000)|join|length }}",
    "join method amplification": "{% set s = 'x' * 90000 %}{{ s.join([s] * 90000)|length }}",
    "indent amplification": "{% set s = '\n' * 90000 %}{{ (s|indent(90000))|length }}",
    "expandtabs": "{% set s = '\t' * 90000 %}{{ s.expandtabs(90000)|length }}",
    "translate": "{% set s = 'x' * 90000 %}{{ s.translate({120: s})|length }}",
    "doubling by concat": "{% set x = 'xx' %}" + "{% set x = x ~ x %}" * 40 + "{{ x|length }}",
    "doubling by plus": "{% set x = 'xx' %}" + "{% set x = x + x %}" * 40 + "{{ x|length }}",
    "doubling in a namespace": "{% set ns = namespace(s='xx') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s|length }}",
    "nested lists printed": "{% set x = [1] %}" + "{% set x = [x, x] %}" * 40 + "{{ x }}",
    "nested lists as string": "{% set x = [1] %}" + "{% set x = [x, x] %}" * 40 + "{{ x|string|length }}",
    "huge output": "{% for i in range(10000) %}{{ 'x' * 90000 }}{% endfor %}",
    "huge literal output": "{% for i in range(10000) %}" + "x" * 5000 + "{% endfor %}",
    "buffered literal": "{% set b %}{% for i in range(10000) %}{% for j in range(10000) %}"
    + "x" * 1000
    + "{% endfor %}{% endfor %}{% endset %}{{ b|length }}",
    "buffered macro": "{% macro m() %}" + "x" * 5000 + "{% endmacro %}{% set b %}{% for i in range(10000) %}"
    "{{ m() }}{% endfor %}{% endset %}{{ b|length }}",
    "deep nesting": "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
    "deep list nesting": "{{ " + "[" * 3000 + "]" * 3000 + " }}",
}


@pytest.mark.parametrize("body", DOS.values(), ids=DOS.keys())
def test_denial_of_service_is_refused_in_one_line(user_dir, body):
    refused(user_dir, body)


def test_a_slow_template_is_stopped_by_the_clock(user_dir, monkeypatch):
    """Loops, calls and lookups check the clock: a template that stays under every size limit still stops."""
    monkeypatch.setattr(render_module, "RENDER_SECONDS", 0.05)
    body = "{% for i in range(10000) %}{{ ([3, 1, 2] * 3000)|sort|length }}{% endfor %}"
    message = refused(user_dir, body)
    assert "second" in message


def test_limits_leave_ordinary_templates_alone(user_dir):
    body = (
        "{% macro greet(n) %}Hi {{ n }}{% endmacro %}{{ greet(contact.first_name) }}, "
        "{% for i in range(3) %}{{ i }}{{ ',' if not loop.last }}{% endfor %} "
        "{{ 'ab' * 2 }} {{ 2 ** 10 }} {{ 'x' ~ 'y' }} {{ [1, 2] + [3] }} {{ '%05d' % 42 }} {{ '{:>4}'.format(7) }} "
        "{{ 'a-b'.replace('-', '+') }} {{ ['a', 'b']|join('/') }} {{ 'hi'|center(6) }}|{{ 'a\nb'|indent(2) }} "
        "{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }} "
        "{{ cycler('x', 'y').next() }}{% set j = joiner('+') %}{{ j() }}a{{ j() }}b"
    )
    assert run(user_dir, body) == "Hi Maya, 0,1,2 abab 1024 xy [1, 2, 3] 00042    7 a+b a/b   hi  |a\n  b 10 xa+b"


# -- include, import and extends: inside the template folders only ----------------------------------------------


def test_include_import_and_extends_reach_the_template_folders(user_dir):
    (user_dir / "sign-off.j2").write_text("{#\ndescription: a shared sign-off\n#}\nBest, {{ me }}")
    (user_dir / "macros.j2").write_text("{% macro hello(name) %}Hello {{ name }}{% endmacro %}")
    (user_dir / "base.j2").write_text("{% block body %}base{% endblock %} -- {% include 'sign-off' %}")
    body = (
        "{% extends 'base.j2' %}{% import 'macros' as m %}"
        "{% block body %}{{ m.hello(contact.first_name) }}{% endblock %}"
    )
    (user_dir / "t.j2").write_text(body)
    assert render(load_template("t"), {**CONTEXT, "me": "Ana"}) == "Hello Maya -- Best, Ana"


def test_a_user_template_can_extend_the_built_in_of_the_same_name(user_dir):
    built_in = render(load_template("first-message"), _first_message_context())
    (user_dir / "first-message.j2").write_text("{% extends 'built-in/first-message' %}")
    assert load_template("first-message").source == "user"
    assert render(load_template("first-message"), _first_message_context()) == built_in


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{% include 'nowhere' %}", "no template named 'nowhere'"),
        ("{% import 'nowhere' as x %}", "no template named 'nowhere'"),
        ("{% extends 'nowhere' %}", "no template named 'nowhere'"),
        ("{% include '../../etc/passwd' %}", "not a template name"),
        ("{% include '/etc/passwd' %}", "not a template name"),
        ("{% include 'built-in/../../x' %}", "not a template name"),
        ("{% include 't' %}", "itself"),
        ("{% extends 't' %}", "itself"),
    ],
)
def test_include_outside_the_folders_or_of_nothing_is_refused_clearly(user_dir, body, words):
    message = refused(user_dir, body)
    assert words in message, message


def test_a_broken_included_template_names_its_own_file(user_dir):
    (user_dir / "part.j2").write_text("\n\n{% if %}")
    message = refused(user_dir, "{% include 'part' %}")
    assert "part.j2:3" in message and "syntax error" in message


def test_a_template_too_large_to_be_a_message_is_refused(user_dir):
    (user_dir / "big.j2").write_text("x" * (render_module.MAX_TEMPLATE_CHARS + 1))
    with pytest.raises(CrmError, match="too large"):
        load_template("big")


# -- hostile text: the renderer only ever succeeds or raises CrmError ---------------------------------------------

JINJA_BITS = st.sampled_from(
    ["{{", "}}", "{%", "%}", "{#", "#}", "for", "in", "range(", ")", "endfor", "if", "endif", "macro", "set",
     "include", "extends", "'", '"', "**", "*", "9", "~", "|", "join", "format", "__class__", "[", "]", ".", " ",
     "contact", "loop", "namespace(", "=", "\n", "-", "+", "%", "x"]
)  # fmt: skip


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=200), st.lists(JINJA_BITS, max_size=40).map("".join)))
def test_random_templates_render_or_raise_crm_error(user_dir, body):
    template = Template(name="fuzz", path=user_dir / "fuzz.j2", source="user", body=body)
    try:
        text = render(template, dict(CONTEXT))
    except CrmError as error:
        assert "\n" not in str(error)
    else:
        assert len(text) <= render_module.MAX_TEXT_CHARS


def _first_message_context() -> dict:
    return {
        "contact": {"first_name": "Maya", "name": "Maya Chen"},
        "me": {"name": "Sam", "year": "junior", "school": "MIT", "major": "Course 6", "target": "a PM role"},
        "hook": {"text": "post on latency"},
        "project": {"name": "App", "result": "2x faster"},
        "question": "how do you choose?",
    }
