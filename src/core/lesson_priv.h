/*
 * lesson_priv.h -- what lesson.c (sections, the file) and lesson_beat.c
 * (a beat's keys) share: the parser's state.  Nothing else includes this.
 */
#ifndef CONCTUI_LESSON_PRIV_H
#define CONCTUI_LESSON_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson.h"

enum lsec { LSEC_NONE, LSEC_LESSON, LSEC_BEAT };

struct lparse {
	const char *file; /* the name used in messages */
	struct lesson *l; /* filled in as keys arrive */
	const char *text; /* the input, consumed line by line */
	int line;	  /* lines handed to libinih so far */
	bool indented;	  /* the current line starts with a blank */
	bool prev_key;	  /* a key was seen in this section */
	enum lsec sec;	  /* the section being read */
	bool have_lesson; /* [lesson] was seen */
	unsigned keys;	  /* bits of once-only keys given in this section */
	int cap;	  /* beats allocated */
	bool failed;	  /* the first error is kept */
	int err_line;	  /* its line */
	char *err;	  /* where the message goes */
	size_t errlen;
};

/* Records the first error only, "file:line: message"; returns false. */
__attribute__((format(printf, 3, 4))) bool lesson_fail(struct lparse *p, int line, const char *fmt,
						       ...);
/* A key of a [beat NAME] section. */
bool lesson_beat_key(struct lparse *p, struct lesson_beat *b, const char *key, const char *v);
/* The end of a beat's section: what it must have. */
bool lesson_beat_close(struct lparse *p, struct lesson_beat *b);
/*
 * Parses an answer's text into A; false with the reason in WHY (a phrase
 * for the message) when it is not one.
 */
bool lesson_answer_parse(const char *s, struct lesson_answer *a, char *why, size_t len);

#endif
