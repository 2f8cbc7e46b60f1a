/*
 * record_priv.h -- what the record's writer and reader share with
 * record_log.c, which writes and reads a record's output and findings.
 */
#ifndef CONCTUI_RECORD_PRIV_H
#define CONCTUI_RECORD_PRIV_H

#include <jansson.h>

#include "reader.h"
#include "trace.h"

/* Adds "output" and "findings" of TR to the record O; 0 or -1 (no memory). */
int record_put_log(json_t *o, const struct trace *tr);
/* Reads the optional "output" and "findings" of the record JR into TR. */
int record_read_log(struct reader *rd, struct trace *tr, json_t *jr, const char *at);

/* Adds the `workers` executor's "broker" when TR has one; 0 or -1. */
int record_put_broker(json_t *o, const struct trace *tr);
/* Reads the optional "broker" of JR into TR's metadata. */
int record_read_broker(struct reader *rd, struct trace *tr, json_t *jr, const char *at);
/* record_observe.c: an observed program's parts of the record; 0 or -1. */
int record_put_observer(json_t *o, const struct trace *tr);
int record_put_thread(json_t *task, const struct trace *tr, int lane);
int record_read_observer(struct reader *rd, struct trace *tr, json_t *jr, const char *at);
int record_read_thread(struct reader *rd, struct trace *tr, int lane, json_t *jt, const char *at);

#endif
