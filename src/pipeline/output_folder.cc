// Whose files an output folder holds (doc/formats.md, "The output folder"),
// and the checks that keep two runs from mixing their files in one folder.
//
// A folder belongs to the run named by, in this order: work/run (written
// before the first task), stats.json's run_key (a finished run; work/ is
// gone), a task marker's key (a run of an older winnow that did not finish).
// Winnow's files with none of these (an older winnow's stats.json, `winnow
// dedup` output) belong to an unknown run, which is refused like another.
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/filename.h"
#include "pipeline/tasks.h"

namespace winnow::tasks {
namespace {

namespace fs = std::filesystem;

struct FolderOwner {
  // Winnow's files there (names), temporary names aside: a temporary name
  // holds nothing final (a killed attempt's, or one being written now).
  // None = free.
  std::vector<std::string> files;
  std::vector<std::string> temporary;
  std::string key;                 // "" = unknown run
  std::string identity;            // what the key was made from, when known
  bool finished = false;           // stats.json is there
};

bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

FolderOwner ReadOwner(const std::string& out) {
  FolderOwner owner;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out, ec)) {
    const std::string name = e.path().filename().string();
    if (!filename::IsRunFile(name)) continue;
    (name.find(".tmp-") == std::string::npos ? owner.files : owner.temporary).push_back(name);
  }
  std::sort(owner.files.begin(), owner.files.end());
  if (owner.files.empty()) return owner;
  owner.finished = fs::exists(filename::Stats(out), ec);
  bool ok = false;
  std::string run = ReadWhole(filename::RunIdentity(out), &ok);
  const std::string head = "winnow-run ";
  if (ok && StartsWith(run, head) && run.find('\n') != std::string::npos) {
    const size_t nl = run.find('\n');
    owner.key = run.substr(head.size(), nl - head.size());
    owner.identity = run.substr(nl + 1);
    return owner;
  }
  if (owner.finished) {
    StatusOr<RunStats> st = RunStats::FromJson(ReadWhole(filename::Stats(out), &ok));
    if (ok && st.ok() && !st->run_key.empty()) {
      owner.key = st->run_key;
      return owner;
    }
  }
  const fs::path done = fs::path(filename::TaskDone(out, "docs", 0)).parent_path();
  bool any_marker = false;
  for (const auto& e : fs::directory_iterator(done, ec)) {
    any_marker = true;
    std::string marker = ReadWhole(e.path().string(), &ok);
    const std::string task = "winnow-task ";
    if (ok && StartsWith(marker, task) && marker.find('\n') != std::string::npos) {
      owner.key = marker.substr(task.size(), marker.find('\n') - task.size());
      return owner;
    }
  }
  // Only a work folder with no marker: a run starting at this moment (the
  // first task of a Dask or Slurm step creates work/ just before it renames
  // work/run into place). Nothing of it is final, nothing can mix.
  if (owner.files == std::vector<std::string>{"work"} && !any_marker) owner.files.clear();
  return owner;
}

// What differs between two identities (MakePlan's text: "winnow-run-1",
// then "input\tsize\tmtime" lines, "key=value" lines, a strict line), as a
// few readable items.
std::string IdentityDiff(const std::string& there, const std::string& here) {
  struct Parsed {
    std::map<std::string, std::string> inputs, settings;
    std::string other;
  };
  auto parse = [](const std::string& text) {
    Parsed p;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      const size_t tab = line.find('\t'), eq = line.find('=');
      if (tab != std::string::npos) {
        p.inputs[line.substr(0, tab)] = line.substr(tab + 1);
      } else if (eq != std::string::npos) {
        p.settings[line.substr(0, eq)] = line.substr(eq + 1);
      } else {
        p.other += line + "|";
      }
    }
    return p;
  };
  const Parsed a = parse(there), b = parse(here);
  std::vector<std::string> items;
  for (const auto& [path, stat] : a.inputs) {
    auto it = b.inputs.find(path);
    if (it == b.inputs.end()) {
      items.push_back("input " + path + " is not in this run");
    } else if (it->second != stat) {
      items.push_back("input " + path + " changed (size or modification time)");
    }
  }
  for (const auto& [path, stat] : b.inputs)
    if (!a.inputs.count(path)) items.push_back("input " + path + " is new");
  for (const auto& [k, v] : a.settings) {
    auto it = b.settings.find(k);
    if (it == b.settings.end()) {
      items.push_back(k + "=" + v + " there, unset here");
    } else if (it->second != v) {
      items.push_back(k + "=" + v + " there, " + it->second + " here");
    }
  }
  for (const auto& [k, v] : b.settings)
    if (!a.settings.count(k)) items.push_back(k + " unset there, " + v + " here");
  if (a.other != b.other) items.push_back("--strict or the winnow version differs");
  std::string s;
  const size_t shown = std::min<size_t>(items.size(), 5);
  for (size_t i = 0; i < shown; ++i) s += (i ? "; " : "") + items[i];
  if (items.size() > shown) s += "; and " + std::to_string(items.size() - shown) + " more";
  return s;
}

std::string Refusal(const RunPlan& plan, const FolderOwner& owner) {
  std::string files;
  for (size_t i = 0; i < owner.files.size() && i < 3; ++i) files += (i ? ", " : "") + owner.files[i];
  if (owner.files.size() > 3) files += " and " + std::to_string(owner.files.size() - 3) + " more";
  std::string whose;
  if (owner.key.empty()) {
    whose = "of a run this winnow cannot identify (no run key: an older winnow, or `winnow dedup`)";
  } else {
    whose = std::string("of another ") + (owner.finished ? "finished" : "unfinished") +
            " run, made from other inputs or settings";
    const std::string diff = owner.identity.empty() ? "" : IdentityDiff(owner.identity, plan.identity);
    if (!diff.empty()) whose += " (" + diff + ")";
  }
  return "the output folder " + plan.out + " holds the files " + whose + ": " + files +
         ". Their files and this run's would mix. Write into another folder, or give --overwrite to "
         "remove that run's files first (kept-*, rejected-*, unreadable.jsonl, stats.json, work/; "
         "nothing else)";
}

// "/a/b" is within "/a" and within "/a/b"; "/ab" is not within "/a".
bool Within(const std::string& inner, const std::string& outer) {
  if (outer == "/") return true;
  return inner == outer || StartsWith(inner, outer + "/");
}

// Absolute, links resolved (as far as the path exists), no trailing "/".
std::string Resolved(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Status CheckOutputApartFromInputs(const std::vector<std::string>& inputs, const std::string& out) {
  const std::string o = Resolved(out);
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (in == "-" || !fs::exists(in, ec)) continue;  // a missing input is its task's unreadable record
    const std::string i = Resolved(in);
    if (fs::is_directory(in, ec) && Within(o, i)) {
      return Status::InvalidArgument("the output folder " + out + " is inside the input folder " + in +
                                     ": the next run would read this run's files as input. Write the "
                                     "output outside " + in);
    }
    if (Within(i, o)) {
      return Status::InvalidArgument("the input " + in + " is inside the output folder " + out +
                                     ", whose files a run replaces or removes. Write the output "
                                     "into another folder");
    }
  }
  return Status::Ok();
}

Status ClaimOutputFolder(const RunPlan& plan, bool overwrite, bool* finished) {
  std::error_code ec;
  fs::create_directories(plan.out, ec);
  if (ec) return Status::IoError("cannot create output folder " + plan.out + ": " + ec.message());
  FolderOwner owner = ReadOwner(plan.out);
  if (!owner.files.empty() && overwrite) {
    owner.files.insert(owner.files.end(), owner.temporary.begin(), owner.temporary.end());
    for (const std::string& name : owner.files) {
      fs::remove_all(fs::path(plan.out) / name, ec);
      if (ec) return Status::IoError("--overwrite: cannot remove " + plan.out + "/" + name + ": " + ec.message());
    }
  } else if (!owner.files.empty() && owner.key != plan.key) {
    return Status::InvalidArgument(Refusal(plan, owner));
  } else {
    // This run's: a work folder that a finish step renamed to remove it and
    // was killed before it had (it holds nothing this run needs).
    for (const std::string& name : owner.temporary) {
      if (name.rfind("work.tmp-", 0) == 0) fs::remove_all(fs::path(plan.out) / name, ec);
    }
    if (finished && owner.finished && !fs::exists(filename::WorkDir(plan.out), ec)) {
      *finished = true;
      return Status::Ok();
    }
  }
  // The same run (a rerun after a crash, another share) finds its own
  // identity there; the first writes it, unsynced: the first task to commit
  // syncs it before any file of the run takes a final name (TaskFiles), so
  // a power loss before that may take it back or leave it empty, with
  // nothing final beside it. Rewritten when it is not whole.
  const std::string identity = "winnow-run " + plan.key + "\n" + plan.identity;
  bool ok = false;
  if (ReadWhole(filename::RunIdentity(plan.out), &ok) == identity && ok) return Status::Ok();
  return WriteAtomically(filename::RunIdentity(plan.out), identity, /*durable=*/false);
}

}  // namespace winnow::tasks
