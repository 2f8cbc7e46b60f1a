/*
 * lesson_expr.c -- a beat's answer: a selector (`first`, `wall`,
 * `fastest`, `overlap`, `frozen`) or a comparison of figures
 * (`wall >= 0.95 * sequential`), parsed into postfix nodes here and
 * evaluated with the figures the run layer measured (quiz.c).  Also the
 * words a choice is read by: a leading yes/no, a duration.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lesson_priv.h"

static const struct {
	const char *name;
	bool selector;
} figure_table[LESSON_FIG_COUNT] = {
#define X(e, n, sel) [LESSON_FIG_##e] = {n, sel},
    LESSON_FIGURE_MAP(X)
#undef X
};

const char *lesson_figure_name(enum lesson_figure f)
{
	return (unsigned)f < LESSON_FIG_COUNT ? figure_table[f].name : "?";
}

bool lesson_figure_is_selector(enum lesson_figure f)
{
	return (unsigned)f < LESSON_FIG_COUNT && figure_table[f].selector;
}

/* ---- parsing: recursive descent into postfix ------------------------------ */

struct eparse {
	const char *s;		 /* the rest of the text */
	struct lesson_answer *a; /* nodes go here */
	char *why;		 /* the first problem */
	size_t len;
	bool bad;
};

static bool ebad(struct eparse *e, const char *msg)
{
	if (!e->bad)
		snprintf(e->why, e->len, "%s", msg);
	e->bad = true;
	return false;
}

static void skip(struct eparse *e)
{
	while (isspace((unsigned char)*e->s))
		e->s++;
}

static bool emit(struct eparse *e, struct lesson_node n)
{
	if (e->a->nexpr == LESSON_EXPR_MAX)
		return ebad(e, "too long an expression");
	e->a->expr[e->a->nexpr++] = n;
	return true;
}

/* A figure's name at E->s; its index or -1. */
static int figure_at(struct eparse *e, size_t *n)
{
	*n = 0;
	while (isalpha((unsigned char)e->s[*n]) || e->s[*n] == '_')
		(*n)++;
	for (int f = 0; f < LESSON_FIG_COUNT; f++)
		if (strlen(figure_table[f].name) == *n &&
		    strncmp(figure_table[f].name, e->s, *n) == 0)
			return f;
	return -1;
}

static bool sum(struct eparse *e);

static bool atom(struct eparse *e)
{
	size_t n;
	char *end;

	skip(e);
	if (*e->s == '(') {
		e->s++;
		if (!sum(e))
			return false;
		skip(e);
		if (*e->s != ')')
			return ebad(e, "a \"(\" without its \")\"");
		e->s++;
		return true;
	}
	if (isdigit((unsigned char)*e->s) || *e->s == '.') {
		double v = strtod(e->s, &end);
		if (end == e->s || !isfinite(v))
			return ebad(e, "a number that is not one");
		e->s = end;
		return emit(e, (struct lesson_node){.op = OP_NUM, .num = v});
	}
	int f = figure_at(e, &n);
	if (f < 0)
		return ebad(e, n ? "an unknown figure (wall, cpu, sequential, cores, tasks, "
				   "running, gap, switches, overlap, frozen)"
				 : "expected a number or a figure");
	if (f == LESSON_FIG_FIRST || f == LESSON_FIG_FASTEST)
		return ebad(e, "first and fastest name a choice: give them alone");
	e->s += n;
	e->a->figs |= 1u << f;
	return emit(e, (struct lesson_node){.op = OP_FIG, .fig = f});
}

static bool product(struct eparse *e)
{
	if (!atom(e))
		return false;
	for (;;) {
		skip(e);
		if (*e->s != '*' && *e->s != '/')
			return true;
		enum lesson_op op = *e->s == '*' ? OP_MUL : OP_DIV;
		e->s++;
		if (!atom(e) || !emit(e, (struct lesson_node){.op = op}))
			return false;
	}
}

static bool sum(struct eparse *e)
{
	if (!product(e))
		return false;
	for (;;) {
		skip(e);
		if (*e->s != '+' && *e->s != '-')
			return true;
		enum lesson_op op = *e->s == '+' ? OP_ADD : OP_SUB;
		e->s++;
		if (!product(e) || !emit(e, (struct lesson_node){.op = op}))
			return false;
	}
}

static bool comparison(struct eparse *e)
{
	enum lesson_op op;

	if (!sum(e))
		return false;
	skip(e);
	if (e->s[0] == '<' || e->s[0] == '>') {
		bool eq = e->s[1] == '=';
		op = e->s[0] == '<' ? (eq ? OP_LE : OP_LT) : (eq ? OP_GE : OP_GT);
		e->s += eq ? 2 : 1;
	} else {
		return ebad(e, "expected a comparison (<, <=, >, >=) or a figure alone");
	}
	if (!sum(e) || !emit(e, (struct lesson_node){.op = op}))
		return false;
	skip(e);
	return *e->s == '\0' || ebad(e, "unexpected text after the comparison");
}

bool lesson_answer_parse(const char *s, struct lesson_answer *a, char *why, size_t len)
{
	struct eparse e = {.s = s, .a = a, .why = why, .len = len};
	size_t n;

	memset(a, 0, sizeof *a);
	skip(&e);
	int f = figure_at(&e, &n);
	if (f >= 0) {
		const char *rest = e.s + n;
		while (isspace((unsigned char)*rest))
			rest++;
		if (!*rest && (figure_table[f].selector || f == LESSON_FIG_WALL)) {
			a->selector = true;
			a->sel = f;
			a->figs = 1u << f;
			return true;
		}
		if (!*rest)
			return ebad(&e, "a number alone picks no choice: compare it (wall < 1000)");
	}
	return comparison(&e);
}

/* ---- evaluating ------------------------------------------------------------- */

bool lesson_answer_eval(const struct lesson_answer *a, const double *v, double *lhs, double *rhs)
{
	double st[LESSON_EXPR_MAX];
	int n = 0;
	bool truth = false;

	for (int i = 0; i < a->nexpr; i++) {
		const struct lesson_node *nd = &a->expr[i];
		double x, y;
		if (nd->op == OP_NUM || nd->op == OP_FIG) {
			st[n++] = nd->op == OP_NUM ? nd->num : v[nd->fig];
			continue;
		}
		if (n < 2)
			return false; /* not reached: the parser made the order */
		y = st[--n];
		x = st[--n];
		switch (nd->op) {
		case OP_ADD:
			st[n++] = x + y;
			break;
		case OP_SUB:
			st[n++] = x - y;
			break;
		case OP_MUL:
			st[n++] = x * y;
			break;
		case OP_DIV:
			st[n++] = y != 0 ? x / y : INFINITY;
			break;
		default:
			if (lhs)
				*lhs = x;
			if (rhs)
				*rhs = y;
			truth = nd->op == OP_LT	  ? x < y
				: nd->op == OP_LE ? x <= y
				: nd->op == OP_GT ? x > y
						  : x >= y;
			st[n++] = truth;
			break;
		}
	}
	return truth;
}

/* ---- reading choices ----------------------------------------------------------- */

double lesson_choice_ms(const char *choice)
{
	const char *s = choice;
	char *end;

	while (*s && !isdigit((unsigned char)*s))
		s++;
	if (!*s)
		return -1;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (strncmp(end, "ms", 2) == 0 && !isalpha((unsigned char)end[2]))
		return v;
	if (*end == 's' && !isalpha((unsigned char)end[1]))
		return v * 1000;
	return -1;
}

int lesson_choice_yes(const char *choice)
{
	while (isspace((unsigned char)*choice))
		choice++;
	if (strncasecmp(choice, "yes", 3) == 0 && !isalpha((unsigned char)choice[3]))
		return 1;
	if (strncasecmp(choice, "no", 2) == 0 && !isalpha((unsigned char)choice[2]))
		return 0;
	return -1;
}
