// Shared C++ for accelforge's Verilator harnesses. A harness acts as memory
// only: it moves data between files and ports and never computes results.
//
// Plusargs understood by every harness:
//   +in=FILE +out=FILE      stimulus and response files
//   +max_cycles=N           watchdog: exit 4 with the cycle reached
//   +trace=FILE.fst         dump an FST trace (a traced build: the runner builds one when a run asks)
//   +trace_start=N +trace_end=N   limit the trace to a cycle window
//   +coverage=FILE.dat      a coverage build (VM_COVERAGE) writes its counts here at the end
#pragma once
#include <verilated.h>
#if VM_COVERAGE
#include <verilated_cov.h>
#endif
#if !VM_TRACE
// Built without tracing (a run that asks for no trace): none of it compiled in.
#elif defined(AF_TRACE_VCD)
#include <verilated_vcd_c.h>
using AfTrace = VerilatedVcdC;
#else
#include <verilated_fst_c.h>
using AfTrace = VerilatedFstC;
#endif

#include <pthread.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace af {

// ---- plusargs ---------------------------------------------------------------
struct Args {
  std::string in, out, trace, coverage;
  uint64_t max_cycles = 100000000ull;
  uint64_t trace_start = 0, trace_end = UINT64_MAX;
  std::vector<std::pair<std::string, std::string>> extra;

  Args(int argc, char** argv) {
    for (int i = 1; i < argc; i++) {
      std::string a = argv[i];
      if (a.size() < 2 || a[0] != '+') continue;
      auto eq = a.find('=');
      std::string k = a.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
      std::string v = eq == std::string::npos ? "" : a.substr(eq + 1);
      if (k == "in") in = v;
      else if (k == "out") out = v;
      else if (k == "trace") trace = v;
      else if (k == "coverage") coverage = v;
      else if (k == "max_cycles") max_cycles = std::stoull(v);
      else if (k == "trace_start") trace_start = std::stoull(v);
      else if (k == "trace_end") trace_end = std::stoull(v);
      else extra.emplace_back(k, v);
    }
  }
};

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "ACCELFORGE_ERROR %s\n", what);
  std::exit(2);
}

// ---- bit fields in ports of any width ----------------------------------------
// Verilator maps ports to CData/SData/IData (<= 32 bits), QData (<= 64) or
// VlWide<N> (wider). These set/get `width` bits at bit offset `lsb`.
template <typename T>
inline void set_bits(T& sig, int lsb, int width, uint64_t v) {
  const uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1);
  uint64_t cur = static_cast<uint64_t>(sig);
  cur = (cur & ~(mask << lsb)) | ((v & mask) << lsb);
  sig = static_cast<T>(cur);
}
template <typename T>
inline uint64_t get_bits(const T& sig, int lsb, int width) {
  const uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1);
  return (static_cast<uint64_t>(sig) >> lsb) & mask;
}
template <std::size_t N>
inline void set_bits(VlWide<N>& sig, int lsb, int width, uint64_t v) {
  for (int i = 0; i < width;) {
    const int bit = lsb + i, word = bit >> 5, off = bit & 31;
    const int n = std::min(32 - off, width - i);
    const uint32_t mask = n == 32 ? ~0u : ((1u << n) - 1);
    sig[word] = (sig[word] & ~(mask << off)) | ((static_cast<uint32_t>(v >> i) & mask) << off);
    i += n;
  }
}
template <std::size_t N>
inline uint64_t get_bits(const VlWide<N>& sig, int lsb, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width;) {
    const int bit = lsb + i, word = bit >> 5, off = bit & 31;
    const int n = std::min(32 - off, width - i);
    const uint32_t mask = n == 32 ? ~0u : ((1u << n) - 1);
    v |= static_cast<uint64_t>((sig[word] >> off) & mask) << i;
    i += n;
  }
  return v;
}

// ---- clocking, tracing, watchdog -----------------------------------------------
template <typename Top>
class Sim {
 public:
  Sim(const Args& args, int argc, char** argv) : args_(args) {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->commandArgs(argc, argv);
#if VM_TRACE
    ctx_->traceEverOn(true);
#endif
    top_ = std::make_unique<Top>(ctx_.get());
    if (!args.trace.empty()) {
#if VM_TRACE
      tfp_ = std::make_unique<AfTrace>();
      top_->trace(tfp_.get(), 99);
      tfp_->open(args.trace.c_str());
#else
      // The runner builds with tracing whenever a run asks for a trace; reaching this is its bug.
      std::fprintf(stderr, "ACCELFORGE_NO_TRACE this simulator was built without tracing; +trace needs a traced build\n");
      std::exit(2);
#endif
    }
  }
  ~Sim() { finish(); }

  Top* top() { return top_.get(); }
  uint64_t cycle() const { return cycle_; }

  // Holds reset for `n` cycles; the cycle counter restarts at 0 afterwards.
  void reset(int n = 2) {
    top_->rst_ni = 0;
    for (int i = 0; i < n; i++) tick();
    top_->rst_ni = 1;
    top_->eval();
    cycle_ = 0;
  }

  // Reset in the middle of a run; the watchdog's cycle count goes on.
  void reset_keep_cycle(int n = 2) {
    const uint64_t c = cycle_;
    reset(n);
    cycle_ = c + n;
  }

  // One clock period: inputs set before the call are sampled at the rising
  // edge; outputs read after it show the post-edge state.
  void tick() {
    // Simulation time as in the traces (two units per cycle), so an
    // assertion's report names the cycle.
    ctx_->time(2 * total_);
    top_->clk_i = 0;
    top_->eval();
    dump(2 * total_);
    ctx_->time(2 * total_ + 1);
    top_->clk_i = 1;
    top_->eval();
    dump(2 * total_ + 1);
    ++total_;
    if (++cycle_ > args_.max_cycles) {
      std::fprintf(stderr, "ACCELFORGE_TIMEOUT cycle=%llu\n", static_cast<unsigned long long>(cycle_));
      finish();
      std::exit(4);
    }
  }

  // Once: the destructor calls it again, and a second final() crashes the
  // hierarchy blocks of a --hierarchical build (Verilator 5.006).
  void finish() {
    if (finished_) return;
    finished_ = true;
#if VM_TRACE
    if (tfp_) {
      tfp_->close();
      tfp_.reset();
    }
#endif
    if (top_) top_->final();
#if VM_COVERAGE
    // Written on every way out (done, watchdog), so a failing case still counts what it reached.
    if (!args_.coverage.empty()) ctx_->coveragep()->write(args_.coverage.c_str());
#endif
  }

 private:
  void dump(uint64_t t) {
#if VM_TRACE
    if (tfp_ && cycle_ >= args_.trace_start && cycle_ <= args_.trace_end) tfp_->dump(t);
#else
    (void)t;
#endif
  }
  const Args& args_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Top> top_;
#if VM_TRACE
  std::unique_ptr<AfTrace> tfp_;
#endif
  uint64_t cycle_ = 0, total_ = 0;
  bool finished_ = false;
};

// ---- files -------------------------------------------------------------------
inline std::vector<uint64_t> read_words(std::ifstream& f, std::size_t n, const char* what) {
  std::vector<uint64_t> v(n);
  for (std::size_t i = 0; i < n; i++)
    if (!(f >> v[i])) fail(what);
  return v;
}

// xorshift64*: the harness's own stream for timing choices (bubbles, stalls).
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  uint64_t next() {
    s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  bool chance_permille(uint32_t p) { return p && (next() % 1000) < p; }
};

}  // namespace af

namespace af {

// ---- hex <-> port words (any width) -----------------------------------------
inline uint32_t hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  fail("bad hex digit");
}
// Parses hex into little-endian 32-bit words.
inline void parse_hex(const std::string& hex, uint32_t* words, std::size_t nwords) {
  std::memset(words, 0, nwords * 4);
  std::size_t bit = 0;
  for (std::size_t i = hex.size(); i-- > 0; bit += 4) {
    if (bit / 32 >= nwords) {
      if (hex_digit(hex[i]) != 0) fail("hex value wider than the port");
      continue;
    }
    words[bit / 32] |= hex_digit(hex[i]) << (bit % 32);
  }
}
inline std::string to_hex(const uint32_t* words, std::size_t nwords) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = nwords; i-- > 0;)
    for (int b = 28; b >= 0; b -= 4) s.push_back(d[(words[i] >> b) & 15]);
  auto nz = s.find_first_not_of('0');
  return nz == std::string::npos ? "0" : s.substr(nz);
}
template <typename T>
inline void set_hex(T& port, const std::string& hex) {
  uint32_t w[2];
  parse_hex(hex, w, 2);
  uint64_t v = (static_cast<uint64_t>(w[1]) << 32) | w[0];
  if (sizeof(T) < 8 && (v >> (8 * sizeof(T))) != 0) fail("hex value wider than the port");
  port = static_cast<T>(v);
}
template <std::size_t N>
inline void set_hex(VlWide<N>& port, const std::string& hex) {
  uint32_t w[N];
  parse_hex(hex, w, N);
  for (std::size_t i = 0; i < N; i++) port[i] = w[i];
}
// A port filled with a 64-bit pattern (repeated, rotated per word), cut to `width` bits.
template <typename T>
inline void set_pattern(T& port, uint64_t g, unsigned width) {
  const uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1);
  port = static_cast<T>(g & mask);
}
template <std::size_t N>
inline void set_pattern(VlWide<N>& port, uint64_t g, unsigned width) {
  for (std::size_t i = 0; i < N; i++) {
    const unsigned lo = 32 * static_cast<unsigned>(i);
    uint32_t w = static_cast<uint32_t>((g >> ((i % 2) * 32)) ^ (i * 0x9E3779B9u));
    if (width < lo + 32) w &= width > lo ? ((1u << (width - lo)) - 1u) : 0u;
    port[i] = w;
  }
}
template <typename T>
inline std::string get_hex(const T& port) {
  const uint64_t v = static_cast<uint64_t>(port);
  const uint32_t w[2] = {static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)};
  return to_hex(w, 2);
}
template <std::size_t N>
inline std::string get_hex(const VlWide<N>& port) {
  uint32_t w[N];
  for (std::size_t i = 0; i < N; i++) w[i] = port[i];
  return to_hex(w, N);
}

}  // namespace af

// ---- main -------------------------------------------------------------------
// Each harness defines af_main. It runs on a thread with a 1 GiB stack
// (reserved, touched only as used): Verilator's evaluation functions for a
// 256 x 256 array keep kilobyte-wide temporaries on the stack and overflow
// the default 8 MiB (SIGSEGV at the first cycle).
int af_main(int argc, char** argv);

namespace af {
struct MainArgs {
  int argc;
  char** argv;
  int rc;
};
inline void* main_thread(void* p) {
  auto* a = static_cast<MainArgs*>(p);
  a->rc = af_main(a->argc, a->argv);
  return nullptr;
}
}  // namespace af

int main(int argc, char** argv) {
  af::MainArgs a{argc, argv, 0};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(1) << 30);
  pthread_t t;
  if (pthread_create(&t, &attr, af::main_thread, &a) != 0) return af_main(argc, argv);
  pthread_join(t, nullptr);
  return a.rc;
}
