/*
 * options.c -- getopt_long over one table of options; the same table
 * prints --help, so the two cannot drift apart.
 */
#include "options.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/*     id           long name          short arg  argument     help */
#define OPTION_MAP(X)                                                                              \
	X(BACKEND, "backend", 'b', 1, "NAME", "run on this executor, not the scenario's default")  \
	X(BATCH, "batch", 0, 0, "", "run, print a text timeline chart and the figures, exit")      \
	X(COMPARE, "compare", 0, 0, "", "run on every executor that applies and compare")          \
	X(COSTS, "costs", 0, 0, "", "measure what each model costs (--json: as JSON)")             \
	X(JSON, "json", 0, 1, "FILE|-",                                                            \
	  "write the run as JSON (the record format; TUI: as it ends)")                            \
	X(TRACE, "trace", 0, 1, "FILE",                                                            \
	  "write Chrome Trace Event JSON (Perfetto; TUI: as it ends)")                             \
	X(REPLAY, "replay", 0, 1, "FILE", "show a recorded run instead of running one")            \
	X(SCALE, "scale", 0, 1, "X",                                                               \
	  "multiply durations, the GIL interval and time budgets by X (up to 100)")                \
	X(GIL, "gil", 0, 1, "new|old|off", "the GIL executor's lock (default: new)")               \
	X(SWITCH, "switch-interval", 0, 1, "MS", "the GIL's switch interval (default: 5)")         \
	X(WORKERS, "workers", 'w', 1, "N", "pool size (default: one per core)")                    \
	X(PICKS, "picks", 0, 1, "A,B,...",                                                         \
	  "asyncio, green, callbacks, gil: at each choice run these tasks in order")               \
	X(MANUAL, "manual", 0, 0, "", "TUI: stop at each scheduling choice and let you pick")      \
	X(BROKER, "broker", 0, 1, "URL",                                                           \
	  "the workers executor's Redis, redis://HOST:PORT (default: a private one)")              \
	X(WORKER, "worker", 0, 0, "", "be a worker for any run on --broker URL, until Ctrl-C")     \
	X(LIST, "list", 'l', 0, "", "list scenarios, programs, lessons and executors")             \
	X(LESSON, "lesson", 0, 0, "[NAME|FILE]",                                                   \
	  "play a lesson (no NAME: the built-in lesson of the seeds)")                             \
	X(ATTACH, "attach", 0, 1, "PID", "observe a running process of yours (see -- COMMAND)")    \
	X(PASSTHROUGH, "passthrough", 0, 0, "",                                                    \
	  "(batch) let an observed program's output through, not captured")                        \
	X(ASCII, "ascii", 0, 0, "", "draw with ASCII characters only")                             \
	X(NOCOLOUR, "no-color", 0, 0, "", "no colours (NO_COLOR is honoured too)")                 \
	X(HELP, "help", 'h', 0, "", "show this help and exit")                                     \
	X(VERSION, "version", 'V', 0, "", "show the version and exit")

enum option_id {
	OPTION_BASE = 256, /* above every short option character */
#define X(id, name, sh, arg, argname, help) OPT_##id,
	OPTION_MAP(X)
#undef X
};

static const struct {
	const char *name;
	char shortopt;
	int has_arg;
	const char *argname;
	const char *help;
} option_table[] = {
#define X(id, name, sh, arg, argname, help) {name, sh, arg, argname, help},
    OPTION_MAP(X)
#undef X
};

#define NOPTIONS ((int)(sizeof option_table / sizeof option_table[0]))

void options_usage(FILE *f)
{
	fprintf(f,
		"usage: conctui [OPTIONS] [SCENARIO]          the TUI (no SCENARIO: the overview)\n"
		"       conctui --batch [OPTIONS] SCENARIO    run, print a chart and figures\n"
		"       conctui --compare [OPTIONS] SCENARIO  compare every executor\n"
		"       conctui --costs [--json FILE|-] | --list | --replay FILE\n"
		"       conctui [--batch] --lesson [NAME|FILE]  play a lesson, beat by beat\n"
		"       conctui [OPTIONS] -- COMMAND [ARGS...]  observe a real program's threads\n"
		"       conctui [OPTIONS] --attach PID          observe a running process\n\n");
	for (int i = 0; i < NOPTIONS; i++) {
		char left[40];
		snprintf(left, sizeof left, "%s%c%s--%s %s", option_table[i].shortopt ? "-" : "",
			 option_table[i].shortopt ? option_table[i].shortopt : ' ',
			 option_table[i].shortopt ? ", " : "  ", option_table[i].name,
			 option_table[i].argname);
		fprintf(f, "  %-30s %s\n", left[0] == ' ' ? left + 1 : left, option_table[i].help);
	}
	fprintf(f, "\nSCENARIO is a built-in name (conctui --list) or a scenario file; a program\n"
		   "of the list (python3 needed) is observed as -- python3 PROGRAM would be.\n"
		   "CONCTUI_OBSERVE=sampled (or perf) forces how a program is observed.\n"
		   "Exit status: 0 success, 1 failure at run time, 2 bad usage or input.\n"
		   "Keys in the TUI: Space pause, Right/Left step to the next/previous change,\n"
		   "t what a step stops at (a task, a run, GIL hand-offs, preemptions, loop\n"
		   "switches), y jump to its cause (why?) and Y back, g the start (paused);\n"
		   "c compares every executor, P there pairs two runs on one time axis;\n"
		   "? lists every key, and the man page conctui(1) has all.\n");
}

/* What a valid value of option ID is, for the one-line error. */
static const char *options_range(int id)
{
	static char buf[64];

	switch (id) {
	case OPT_SCALE:
		snprintf(buf, sizeof buf, "must be > 0 and <= %g", OPTIONS_MAX_SCALE);
		break;
	case OPT_SWITCH:
		snprintf(buf, sizeof buf, "must be > 0 and <= %g (milliseconds)",
			 SCENARIO_MAX_SWITCH_MS);
		break;
	case OPT_WORKERS:
		snprintf(buf, sizeof buf, "must be a whole number from 1 to %d",
			 SCENARIO_MAX_WORKERS);
		break;
	case OPT_GIL:
		return "must be new, old or off";
	case OPT_ATTACH:
		return "must be a process id";
	case OPT_BROKER:
		return "must be redis://HOST:PORT or unix:///PATH, under 160 bytes";
	default:
		return "not a valid value";
	}
	return buf;
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v <= lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int apply(int id, const char *arg, struct options *o, char *err, size_t len)
{
	double v;

	switch (id) {
	case OPT_BACKEND:
		o->run.backend = arg;
		break;
	case OPT_BATCH:
		o->batch = true;
		break;
	case OPT_COMPARE:
		o->compare = true;
		break;
	case OPT_COSTS:
		o->costs = true;
		break;
	case OPT_JSON:
		o->json = arg;
		break;
	case OPT_TRACE:
		o->trace = arg;
		break;
	case OPT_REPLAY:
		o->replay = arg;
		break;
	case OPT_LIST:
		o->list = true;
		break;
	case OPT_LESSON:
		o->lesson = true;
		break;
	case OPT_ATTACH:
		if (parse_number(arg, 0, 1 << 30, &v) < 0 || v != (int)v)
			goto bad;
		o->attach = (int)v;
		break;
	case OPT_PASSTHROUGH:
		o->passthrough = true;
		break;
	case OPT_ASCII:
		o->ascii = true;
		break;
	case OPT_NOCOLOUR:
		o->colour = false;
		break;
	case OPT_HELP:
		o->help = true;
		break;
	case OPT_VERSION:
		o->version = true;
		break;
	case OPT_SCALE:
		if (parse_number(arg, 0, OPTIONS_MAX_SCALE, &o->scale) < 0)
			goto bad;
		break;
	case OPT_SWITCH:
		if (parse_number(arg, 0, SCENARIO_MAX_SWITCH_MS, &o->run.switch_interval_ms) < 0)
			goto bad;
		break;
	case OPT_WORKERS:
		if (parse_number(arg, 0, SCENARIO_MAX_WORKERS, &v) < 0 || v != (int)v)
			goto bad;
		o->run.workers = (int)v;
		break;
	case OPT_PICKS:
		o->run.picks = arg;
		break;
	case OPT_MANUAL:
		o->run.manual = true;
		break;
	case OPT_BROKER:
		if (!*arg || strlen(arg) >= 160)
			goto bad;
		o->run.broker = arg;
		break;
	case OPT_WORKER:
		o->worker = true;
		break;
	case OPT_GIL:
		if (strcmp(arg, "new") && strcmp(arg, "old") && strcmp(arg, "off"))
			goto bad;
		o->run.gil = arg;
		break;
	}
	return 0;
bad:;
	char q[ESCAPE_ECHO_SIZE];

	snprintf(err, len, "--%s %s: %s", option_table[id - OPTION_BASE - 1].name,
		 escape_echo(q, arg), options_range(id));
	return -1;
}

/*
 * Options that a mode cannot honour are refused, never ignored: a record
 * is shown as it was recorded, and --costs measures the models, not a
 * scenario.  GIVEN[i] is set for each option of the table on the line.
 */
static int check_combinations(const bool *given, const struct options *o, char *err, size_t len)
{
	static const int rerun[] = {OPT_BACKEND, OPT_GIL,     OPT_SWITCH,
				    OPT_SCALE,	 OPT_WORKERS, OPT_PICKS};
	static const int not_costs[] = {OPT_BACKEND, OPT_GIL,	  OPT_SWITCH, OPT_SCALE,
					OPT_WORKERS, OPT_COMPARE, OPT_TRACE,  OPT_REPLAY};
	/* A lesson's beats name their runs; what would change them is refused. */
	static const int not_lesson[] = {OPT_COMPARE, OPT_COSTS, OPT_REPLAY,
					 OPT_BACKEND, OPT_JSON,	 OPT_TRACE};

	for (size_t i = 0; o->lesson && i < sizeof not_lesson / sizeof not_lesson[0]; i++)
		if (given[not_lesson[i] - OPTION_BASE - 1]) {
			snprintf(err, len, "--lesson does not take --%s: each beat names its run",
				 option_table[not_lesson[i] - OPTION_BASE - 1].name);
			return -1;
		}
	for (size_t i = 0; o->replay && i < sizeof rerun / sizeof rerun[0]; i++)
		if (given[rerun[i] - OPTION_BASE - 1]) {
			snprintf(err, len, "--replay does not take --%s: a record cannot be re-run",
				 option_table[rerun[i] - OPTION_BASE - 1].name);
			return -1;
		}
	for (size_t i = 0; o->costs && i < sizeof not_costs / sizeof not_costs[0]; i++)
		if (given[not_costs[i] - OPTION_BASE - 1]) {
			snprintf(err, len, "--costs does not take --%s: it runs no scenario",
				 option_table[not_costs[i] - OPTION_BASE - 1].name);
			return -1;
		}
	if (o->worker &&
	    (!o->run.broker || o->scenario || o->batch || o->compare || o->replay || o->lesson)) {
		snprintf(err, len, "--worker takes --broker URL and nothing to run");
		return -1;
	}
	if (o->costs && o->scenario) {
		snprintf(err, len, "--costs does not take a SCENARIO: it runs none");
		return -1;
	}
	if (o->run.manual && (o->batch || o->compare || o->replay)) {
		snprintf(err, len, "--manual is for the TUI (--batch plays a list with --picks)");
		return -1;
	}
	return 0;
}

/*
 * Everything after the first "--" is the command to observe; options are
 * parsed before it only.  Returns the new ARGC.
 */
static int split_command(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			o->command = i + 1 < argc ? argv + i + 1 : NULL;
			o->dashdash = true;
			return i;
		}
	return argc;
}

/* An observed program takes no scenario and no option that shapes one. */
static int check_observe(const bool *given, const struct options *o, char *err, size_t len)
{
	static const int shapes[] = {OPT_BACKEND, OPT_GIL,   OPT_SWITCH, OPT_SCALE,  OPT_WORKERS,
				     OPT_COMPARE, OPT_COSTS, OPT_REPLAY, OPT_BROKER, OPT_WORKER};
	const char *what = o->attach ? "--attach" : "-- COMMAND";

	if (o->dashdash && !o->command) {
		snprintf(err, len, "-- needs a COMMAND to observe");
		return -1;
	}
	if (o->command && o->attach) {
		snprintf(err, len, "give either --attach PID or -- COMMAND, not both");
		return -1;
	}
	if (!o->command && !o->attach) {
		if (o->passthrough) {
			snprintf(err, len, "--passthrough is for an observed program (-- COMMAND)");
			return -1;
		}
		return 0;
	}
	if (o->scenario) {
		snprintf(err, len, "%s does not take a SCENARIO", what);
		return -1;
	}
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		if (given[shapes[i] - OPTION_BASE - 1]) {
			snprintf(err, len, "%s does not take --%s: it runs no scenario", what,
				 option_table[shapes[i] - OPTION_BASE - 1].name);
			return -1;
		}
	return 0;
}

int options_parse(int argc, char **argv, struct options *o, char *err, size_t len)
{
	bool given[NOPTIONS] = {false};
	struct option longopts[NOPTIONS + 1];
	char shortopts[2 * NOPTIONS + 2] = ":", q[ESCAPE_ECHO_SIZE];
	int c;

	memset(o, 0, sizeof *o);
	o->scale = 1.0;
	o->colour = !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	argc = split_command(argc, argv, o);
	for (int i = 0; i < NOPTIONS; i++) {
		longopts[i] = (struct option){option_table[i].name, option_table[i].has_arg, NULL,
					      OPTION_BASE + 1 + i};
		if (option_table[i].shortopt) {
			size_t n = strlen(shortopts);
			shortopts[n] = option_table[i].shortopt;
			shortopts[n + 1] = option_table[i].has_arg ? ':' : '\0';
			shortopts[n + 2] = '\0';
		}
	}
	longopts[NOPTIONS] = (struct option){0, 0, 0, 0};
	optind = 0; /* reset, so that tests may parse more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int id = c;
		if (c == '?' || c == ':') {
			/* optopt is a short option's letter, or a long option's id. */
			int is_short = optopt > 0 && optopt < OPTION_BASE;
			const char *what =
			    is_short ? (char[]){'-', (char)optopt, 0} : argv[optind - 1];
			snprintf(err, len,
				 c == '?' ? "unknown option \"%s\"" : "option \"%s\" needs a value",
				 escape_echo(q, what));
			return -1;
		}
		for (int i = 0; c < OPTION_BASE && i < NOPTIONS; i++)
			if (option_table[i].shortopt == c)
				id = OPTION_BASE + 1 + i;
		if (apply(id, optarg, o, err, len) < 0)
			return -1;
		given[id - OPTION_BASE - 1] = true;
	}
	if (optind < argc)
		o->scenario = argv[optind++];
	if (optind < argc) {
		snprintf(err, len, "unexpected argument \"%s\"", escape_echo(q, argv[optind]));
		return -1;
	}
	if (check_observe(given, o, err, len) < 0)
		return -1;
	if ((o->batch || o->compare) && !o->costs && !o->scenario && !o->replay && !o->lesson &&
	    !o->command && !o->attach) {
		snprintf(err, len, "%s needs a SCENARIO", o->compare ? "--compare" : "--batch");
		return -1;
	}
	if (o->replay && o->scenario) {
		snprintf(err, len, "give either --replay FILE or a SCENARIO, not both");
		return -1;
	}
	return check_combinations(given, o, err, len);
}
