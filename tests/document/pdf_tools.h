#pragma once
// Reading PDFs the way a person's tools do: poppler-utils' pdftotext, pdfinfo and pdftoppm.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace homevisit::testing {

// Output and exit status of a shell command.
struct CommandResult {
  std::string output;
  int status = -1;
};

inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  result.status = pclose(pipe);
  return result;
}

// A scratch folder removed with the object.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "homevisit-pdf-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name, const std::string& bytes) const {
    std::string file = (path_ / name).string();
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string PdfText(const std::string& file) { return RunCommand("pdftotext -layout '" + file + "' -").output; }

inline int PdfPages(const std::string& file) {
  std::smatch m;
  std::string info = RunCommand("pdfinfo '" + file + "'").output;
  if (!std::regex_search(info, m, std::regex(R"re(Pages:\s+(\d+))re"))) return -1;
  return std::stoi(m[1]);
}

struct WordBox {
  int page = 0;
  double page_width = 0, page_height = 0;
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  std::string text;
};

// Every word with its box, from `pdftotext -bbox`.
inline std::vector<WordBox> PdfWords(const std::string& file) {
  std::string html = RunCommand("pdftotext -bbox '" + file + "' -").output;
  std::vector<WordBox> words;
  std::regex tag(R"re(<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>)re");
  int page = 0;
  double width = 0, height = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), tag), end; it != end; ++it) {
    const std::smatch& m = *it;
    if (m[1].matched) {
      ++page;
      width = std::stod(m[1]);
      height = std::stod(m[2]);
      continue;
    }
    words.push_back({page, width, height, std::stod(m[3]), std::stod(m[4]), std::stod(m[5]), std::stod(m[6]), m[7]});
  }
  return words;
}

// How many PNG pages pdftoppm wrote for `file` (at a low resolution), or -1 when it failed.
inline int RenderedPages(const std::string& file, const std::filesystem::path& dir) {
  std::string prefix = (dir / "page").string();
  if (RunCommand("pdftoppm -r 40 -png '" + file + "' '" + prefix + "'").status != 0) return -1;
  int pages = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("page", 0) == 0 && entry.path().extension() == ".png" &&
        std::filesystem::file_size(entry.path()) > 0) {
      ++pages;
    }
  }
  return pages;
}

// pdftotext -layout puts a line break where our layout wrapped: compare texts with whitespace
// squeezed, and with a line that broke after a word's hyphen ("test-dot-" / "supervisor") joined.
inline std::string Squeezed(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f') {
      space = true;
      continue;
    }
    const bool after_hyphen = out.size() >= 2 && out.back() == '-' && out[out.size() - 2] != ' ';
    if (space && !out.empty() && !after_hyphen) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace homevisit::testing
