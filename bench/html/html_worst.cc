// html_worst: nodes and memory on hostile pages (the tree builder's
// worst cases), to show that both stay linear in the input.
//
//   build-x/bench/html/html_worst [--kb N]   (default 200; each case is also
//                                            run at 10x that size)
//
// Each case runs in a child process (fork): its peak RSS (ru_maxrss) minus
// that of a child that only builds the same input is the parse's memory.
// Printed per case and size: input bytes, nodes, nodes/byte, RSS/byte
// (bytes of peak RSS per input byte), CPU seconds, truncated().
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "winnow/html.h"

namespace {

namespace wh = winnow::html;

// Repeats `unit(i)` until the page reaches `bytes`.
std::string Fill(size_t bytes, const std::function<std::string(size_t)>& unit) {
  std::string s;
  for (size_t i = 0; s.size() < bytes; ++i) s += unit(i);
  return s;
}

struct Case {
  const char* name;
  std::function<std::string(size_t)> make;  // bytes -> page
};

std::vector<Case> Cases() {
  return {
      // issue 11 item 6: N distinct formatting elements, then N paragraphs
      // that each make the parser reconstruct all of them.
      {"formatting-reconstruct",
       [](size_t b) {
         size_t n = b / 15;
         std::string s = "<p>";
         for (size_t i = 0; i < n; ++i) s += "<b id=" + std::to_string(i) + ">";
         for (size_t i = 0; s.size() < b; ++i) s += "<p>x";
         return s;
       }},
      {"formatting-reconstruct-div",
       [](size_t b) {
         size_t n = b / 15;
         std::string s = "<div>";
         for (size_t i = 0; i < n; ++i) s += "<i class=c" + std::to_string(i) + ">";
         s += "</div>";
         for (size_t i = 0; s.size() < b; ++i) s += "<p>x</p>";
         return s;
       }},
      {"adoption-agency",
       [](size_t b) { return Fill(b, [](size_t) { return "<b><i><u><s><div>x</b>"; }); }},
      {"adoption-nested-a",
       [](size_t b) { return Fill(b, [](size_t) { return "<a><p><a><div>x"; }); }},
      {"nested-div", [](size_t b) { return Fill(b, [](size_t) { return "<div>"; }); }},
      {"nested-b", [](size_t b) { return Fill(b, [](size_t) { return "<b>"; }); }},
      {"table-cells", [](size_t b) { return Fill(b, [](size_t) { return "<table><tr><td>"; }); }},
      {"foster-text",
       [](size_t b) { return "<table>" + Fill(b, [](size_t) { return "x<b>y</b>"; }); }},
      {"nested-template", [](size_t b) { return Fill(b, [](size_t) { return "<template>"; }); }},
      {"template-table",
       [](size_t b) { return Fill(b, [](size_t) { return "<template><tr><td><template><col>"; }); }},
      {"nested-foreign",
       [](size_t b) {
         return Fill(b, [](size_t) { return "<svg><foreignObject><math><mi><svg><desc>"; });
       }},
      {"foreign-breakout",
       [](size_t b) { return Fill(b, [](size_t) { return "<svg><g><p>x<math><mtext>"; }); }},
      {"selectedcontent",
       [](size_t b) {
         return "<select><button><selectedcontent></button>" +
                Fill(b, [](size_t) { return "<option selected><b>x</b><i>y</i>"; });
       }},
      {"attributes",
       [](size_t b) {
         return "<p " + Fill(b, [](size_t i) { return "a" + std::to_string(i) + "=1 "; }) + ">";
       }},
      {"body-attributes",
       [](size_t b) {
         return Fill(b, [](size_t i) { return "<body a" + std::to_string(i) + "=1>"; });
       }},
  };
}

struct Result {
  uint64_t nodes = 0;
  bool truncated = false;
  long maxrss_kb = 0;
  double cpu = 0;
};

// Runs `work` in a child; returns its node count, peak RSS and CPU time.
Result InChild(const std::function<Result()>& work) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Result r = work();
    if (write(fds[1], &r, sizeof(r)) != static_cast<ssize_t>(sizeof(r))) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Result r;
  if (read(fds[0], &r, sizeof(r)) != static_cast<ssize_t>(sizeof(r))) r = Result();
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  r.maxrss_kb = ru.ru_maxrss;
  r.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
          ru.ru_stime.tv_usec * 1e-6;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  size_t kb = 200;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--kb") == 0 && i + 1 < argc) kb = std::strtoul(argv[++i], nullptr, 10);
  }
  std::printf("html_worst: hostile pages, nodes and peak RSS per input byte (one child process "
              "per run; RSS = parse child minus input-only child)\n");
  std::printf("%-28s %10s %10s %9s %9s %8s %s\n", "case", "bytes", "nodes", "nodes/B", "RSS/B",
              "cpu s", "truncated");
  for (const Case& c : Cases()) {
    for (size_t size : {kb * 1024, kb * 10240}) {
      Result base = InChild([&] {
        std::string page = c.make(size);
        Result r;
        r.nodes = page.size();  // keeps the page alive and measured
        return r;
      });
      size_t bytes = 0;
      Result r = InChild([&] {
        std::string page = c.make(size);
        auto dom = wh::Parse(page);
        Result out;
        out.nodes = dom->node_count();
        out.truncated = dom->truncated();
        return out;
      });
      bytes = base.nodes;
      double rss = (r.maxrss_kb - base.maxrss_kb) * 1024.0;
      std::printf("%-28s %10zu %10llu %9.3f %9.1f %8.3f %s\n", c.name, bytes,
                  static_cast<unsigned long long>(r.nodes), double(r.nodes) / bytes,
                  rss / bytes, r.cpu - base.cpu, r.truncated ? "yes" : "no");
      std::fflush(stdout);
    }
  }
  return 0;
}
