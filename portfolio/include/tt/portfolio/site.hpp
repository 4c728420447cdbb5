// The static site of a portfolio (portfolio/site/): an index, one page per write-up, and a
// measurements page with before/after charts; every page self-contained (inline CSS and SVG).
// Not a server: the files open from disk, offline.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/portfolio/writeup.hpp"

namespace tt::portfolio {

struct SiteResult {
  std::vector<std::filesystem::path> pages;
  std::size_t verified = 0, stale = 0, missing = 0, flagged = 0;  // citations, and contradictions + warnings
};

// Writes the site into out_dir (created; old pages replaced). Copies module 19's artifacts.
SiteResult render_site(const Portfolio& p, const std::filesystem::path& out_dir);

// The charts of one measurement (its metrics' before/after variants with their confidence
// intervals, and its ratio metrics against their targets), as SVG elements.
std::vector<std::string> measurement_charts(const Measurement& m);

// The page shell: title, inline style, navigation (the site's own pages when site_nav), a heading
// with the title unless the body has its own <h1>, body.
std::string page(const std::string& title, const std::string& body, const std::vector<WriteupSlot>& nav,
                 bool site_nav = true);

}  // namespace tt::portfolio
