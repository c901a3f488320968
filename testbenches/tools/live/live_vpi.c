/* accelforge live harness for Icarus Verilog: a VPI module ($af_live) that
 * serves the same channel as live_harness.cpp.hbs (the layout and the ops
 * are documented there). The testbench (live_tb.sv.hbs) holds the design's
 * inputs in variables named as its ports, under a top called TOP, so signal
 * names and trace paths are the Verilator harness's. Time is two units per
 * clock period, as in the Verilator traces: the clock falls at 2 (c + 2) and
 * rises one unit later. The simulator waits inside a callback while the test
 * thinks; a clock period is two delay callbacks and a read-write synch (so a
 * peek after an edge sees the state after it). It never computes results. */
#include <vpi_user.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define CAP (1u << 20)
#define HEAD 64u
#define MAXSIG 4096

static uint32_t *head, *cmd, *rsp;
static uint32_t done_seq, seq;
static const uint32_t *p, *end;
static uint32_t *r;
static uint32_t status;

static vpiHandle sigs[MAXSIG];
static int widths[MAXSIG];
static int nsig;
static vpiHandle clk, flush;
static uint64_t total;
static int dirty = 1;

/* What the callback chain is doing: serving ops, or inside a clock period or a settle. */
enum { SERVE, FALL, RISE, SETTLED, UNTIL_CHECK } state = SERVE;
static uint64_t periods_left;
static struct {
  int active;
  uint32_t id, words;
  uint32_t want[1024];
  uint64_t max, waited;
} until;

static PLI_INT32 serve(p_cb_data cb);

static void after(int delay, int rwsync) {
  s_cb_data cb;
  s_vpi_time t;
  memset(&cb, 0, sizeof cb);
  t.type = vpiSimTime;
  t.high = 0;
  t.low = (PLI_UINT32)delay;
  cb.reason = rwsync ? cbReadWriteSynch : cbAfterDelay;
  cb.cb_rtn = serve;
  cb.time = &t;
  vpi_free_object(vpi_register_cb(&cb));
}

static void put(vpiHandle h, int width, const uint32_t *w) {
  int n = (width + 31) / 32, i;
  s_vpi_vecval *vec = calloc((size_t)n, sizeof *vec);
  s_vpi_value v;
  for (i = 0; i < n; i++) vec[i].aval = w[i], vec[i].bval = 0;
  v.format = vpiVectorVal;
  v.value.vector = vec;
  vpi_put_value(h, &v, NULL, vpiNoDelay);
  free(vec);
  dirty = 1;
}

static void get(vpiHandle h, int width, uint32_t *w) {
  int n = (width + 31) / 32, i;
  s_vpi_value v;
  v.format = vpiVectorVal;
  vpi_get_value(h, &v);
  for (i = 0; i < n; i++) w[i] = v.value.vector[i].aval & ~v.value.vector[i].bval; /* X and Z read 0 */
  if (width % 32) w[n - 1] &= (1u << (width % 32)) - 1u;
}

static void bit(vpiHandle h, uint32_t b) { put(h, 1, &b); }

static void error(const char *msg) {
  size_t len = strlen(msg);
  status = 1;
  r = rsp + 4;
  *r++ = (uint32_t)len;
  memcpy(r, msg, len);
  r += (len + 3) / 4;
}

/* Waits for the next batch: spin briefly, then sleep in short steps. */
static void next_batch(void) {
  unsigned spins = 0;
  while ((seq = __atomic_load_n(&head[0], __ATOMIC_ACQUIRE)) == done_seq) {
    if (++spins < 200000) {
      __asm__ volatile("pause");
    } else {
      struct timespec ts = {0, 50000};
      nanosleep(&ts, NULL);
    }
  }
  p = cmd;
  end = cmd + head[15];
  r = rsp + 4;
  status = 0;
}

static void answer(int finish) {
  rsp[1] = status;
  rsp[2] = (uint32_t)total;
  rsp[3] = (uint32_t)(total >> 32);
  rsp[0] = (uint32_t)(r - rsp);
  done_seq = seq;
  __atomic_store_n(&head[1], seq, __ATOMIC_RELEASE);
  if (finish) vpi_control(vpiFinish, 0);
}

/* Starts one clock period (the fall; the rise and the settle follow by callbacks). */
static void period(void) {
  state = FALL;
  after(1, 0);
}

static void text(char *out, size_t cap) {
  uint32_t len = *p++;
  size_t n = len < cap - 1 ? len : cap - 1;
  memcpy(out, p, n);
  out[n] = 0;
  p += (len + 3) / 4;
}

/* Runs ops until one needs simulated time; 1 when it scheduled a callback. */
static int ops(void) {
  while (p < end && status == 0) {
    const uint32_t *op_at = p;
    uint32_t op = *p++;
    if (op == 1) {
      char name[1024], full[1100];
      vpiHandle h;
      text(name, sizeof name);
      snprintf(full, sizeof full, "%s%s", strchr(name, '.') ? "" : "TOP.", name);
      h = nsig < MAXSIG ? vpi_handle_by_name(full, NULL) : NULL;
      *r++ = h ? 0 : 1;
      *r++ = (uint32_t)nsig;
      *r++ = h ? (uint32_t)vpi_get(vpiSize, h) : 0;
      if (h) sigs[nsig] = h, widths[nsig] = vpi_get(vpiSize, h), nsig++;
    } else if (op == 2 || op == 3 || op == 5) {
      uint32_t id = *p++;
      if (id >= (uint32_t)nsig) {
        error("unknown signal handle");
        break;
      }
      if (op == 2) {
        uint32_t w = *p++;
        put(sigs[id], widths[id], p);
        p += w;
        continue;
      }
      if (dirty) { /* values poked this cycle: let the design settle first, then this op again */
        p = op_at;
        dirty = 0;
        state = SERVE;
        after(0, 1);
        return 1;
      }
      if (op == 3) {
        uint32_t n = (uint32_t)(widths[id] + 31) / 32;
        *r++ = n;
        get(sigs[id], widths[id], r);
        r += n;
      } else {
        uint32_t w = *p++, i;
        until.active = 1;
        until.id = id;
        until.words = w;
        for (i = 0; i < w && i < 1024; i++) until.want[i] = p[i];
        p += w;
        until.max = p[0] | ((uint64_t)p[1] << 32);
        p += 2;
        until.waited = 0;
        state = UNTIL_CHECK;
        after(0, 1);
        return 1;
      }
    } else if (op == 4) {
      periods_left = p[0] | ((uint64_t)p[1] << 32);
      p += 2;
      if (periods_left) {
        period();
        return 1;
      }
    } else if (op == 6) {
      char path[1024];
      text(path, sizeof path); /* the trace was chosen when the simulator started (+trace) */
    } else if (op == 8) {
      static uint32_t f;
      f ^= 1;
      bit(flush, f); /* the testbench's always @(af_flush) $dumpflush */
      state = SERVE;
      after(0, 1);
      return 1;
    } else if (op == 7) {
      answer(1);
      return 1;
    } else {
      error("unknown op");
    }
  }
  return 0;
}

static void run_batches(void) {
  for (;;) {
    if (ops()) return;
    answer(0);
    next_batch();
  }
}

static PLI_INT32 serve(p_cb_data cb) {
  (void)cb;
  switch (state) {
    case FALL:
      bit(clk, 0);
      state = RISE;
      after(1, 0);
      return 0;
    case RISE:
      bit(clk, 1);
      state = SETTLED;
      after(0, 1);
      return 0;
    case SETTLED:
      total++;
      dirty = 0;
      if (until.active) {
        until.waited++;
        state = UNTIL_CHECK;
        break;
      }
      if (--periods_left) {
        period();
        return 0;
      }
      state = SERVE;
      break;
    default:
      break;
  }
  if (state == UNTIL_CHECK) {
    uint32_t got[1024];
    int met;
    dirty = 0;
    get(sigs[until.id], widths[until.id], got);
    met = memcmp(got, until.want, 4 * until.words) == 0;
    if (!met && until.waited < until.max) {
      period();
      return 0;
    }
    until.active = 0;
    *r++ = (uint32_t)met;
    *r++ = (uint32_t)until.waited;
    *r++ = (uint32_t)(until.waited >> 32);
    state = SERVE;
  }
  run_batches();
  return 0;
}

static PLI_INT32 start(PLI_BYTE8 *user) {
  s_vpi_vlog_info info;
  const char *chan = NULL;
  int i, fd;
  uint8_t *base;
  (void)user;
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* the test's process gone: so is this one */
  vpi_get_vlog_info(&info);
  for (i = 0; i < info.argc; i++)
    if (strncmp(info.argv[i], "+chan=", 6) == 0) chan = info.argv[i] + 6;
  fd = chan ? open(chan, O_RDWR) : -1;
  if (fd < 0) {
    fprintf(stderr, "ACCELFORGE_ERROR cannot open +chan file\n");
    exit(2);
  }
  base = mmap(NULL, HEAD + 2 * CAP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    fprintf(stderr, "ACCELFORGE_ERROR cannot map +chan file\n");
    exit(2);
  }
  head = (uint32_t *)base;
  cmd = (uint32_t *)(base + HEAD);
  rsp = (uint32_t *)(base + HEAD + CAP);
  clk = vpi_handle_by_name("TOP.clk_i", NULL);
  flush = vpi_handle_by_name("TOP.af_flush", NULL);
  /* The first period's fall is at time 4 (two periods of the traces' numbering before cycle 0). */
  state = SERVE;
  next_batch();
  total = 0;
  {
    s_cb_data cb;
    s_vpi_time t;
    memset(&cb, 0, sizeof cb);
    t.type = vpiSimTime;
    t.high = 0;
    t.low = 3;
    cb.reason = cbAfterDelay;
    cb.cb_rtn = serve;
    cb.time = &t;
    vpi_free_object(vpi_register_cb(&cb));
  }
  return 0;
}

static void af_register(void) {
  s_vpi_systf_data tf;
  memset(&tf, 0, sizeof tf);
  tf.type = vpiSysTask;
  tf.tfname = "$af_live";
  tf.calltf = start;
  vpi_register_systf(&tf);
}

void (*vlog_startup_routines[])(void) = {af_register, 0};
