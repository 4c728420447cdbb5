// .npy save (xtensor's writer) and a validating .npy reader for float32 C-order arrays; weight folders.
// Not a general NumPy reader: other dtypes, Fortran order and pickled objects are rejected.
#include "tt/npy.hpp"

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <xtensor/xnpy.hpp>

#include "tt/errors.hpp"

namespace tt {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr const char* kExpectedDescr = "<f4";  // little-endian float32

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw data_error(".npy file " + path + ": " + problem);
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail(path, "not found (expected a file written by save_npy)");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot be opened");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(path, "read error");
  return bytes;
}

// The text after `'key':` in a header dict, with leading blanks skipped (npos if absent).
std::size_t value_pos(const std::string& dict, const std::string& key) {
  for (const char q : {'\'', '"'}) {
    const std::string needle = std::string(1, q) + key + std::string(1, q);
    std::size_t p = dict.find(needle);
    if (p == std::string::npos) continue;
    p += needle.size();
    while (p < dict.size() && std::isspace(static_cast<unsigned char>(dict[p])) != 0) ++p;
    if (p >= dict.size() || dict[p] != ':') return std::string::npos;
    ++p;
    while (p < dict.size() && std::isspace(static_cast<unsigned char>(dict[p])) != 0) ++p;
    return p;
  }
  return std::string::npos;
}

struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

Header parse_dict(const std::string& path, const std::string& dict) {
  Header h;
  std::size_t p = value_pos(dict, "descr");
  if (p == std::string::npos || (dict[p] != '\'' && dict[p] != '"')) fail(path, "header has no 'descr': " + dict);
  const std::size_t close = dict.find(dict[p], p + 1);
  if (close == std::string::npos) fail(path, "unterminated 'descr' in header: " + dict);
  h.descr = dict.substr(p + 1, close - p - 1);

  p = value_pos(dict, "fortran_order");
  if (p == std::string::npos) fail(path, "header has no 'fortran_order': " + dict);
  if (dict.compare(p, 4, "True") == 0) {
    h.fortran_order = true;
  } else if (dict.compare(p, 5, "False") != 0) {
    fail(path, "'fortran_order' is neither True nor False in header: " + dict);
  }

  p = value_pos(dict, "shape");
  if (p == std::string::npos || dict[p] != '(') fail(path, "header has no 'shape' tuple: " + dict);
  const std::size_t end = dict.find(')', p);
  if (end == std::string::npos) fail(path, "unterminated 'shape' tuple in header: " + dict);
  std::size_t i = p + 1;
  while (i < end) {
    const char c = dict[i];
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      std::size_t v = 0;
      while (i < end && std::isdigit(static_cast<unsigned char>(dict[i])) != 0) {
        v = v * 10 + static_cast<std::size_t>(dict[i] - '0');
        if (v > (std::size_t{1} << 40)) fail(path, "implausible dimension in 'shape': " + dict);
        ++i;
      }
      h.shape.push_back(v);
    } else if (c == ',' || std::isspace(static_cast<unsigned char>(c)) != 0 || c == 'L') {
      ++i;
    } else {
      fail(path, "unexpected character '" + std::string(1, c) + "' in 'shape': " + dict);
    }
  }
  return h;
}

std::uint32_t little_endian(const std::string& bytes, std::size_t pos, std::size_t width) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v |= std::uint32_t{static_cast<unsigned char>(bytes[pos + i])} << (8 * i);
  return v;
}

}  // namespace

void save_npy(const std::string& path, const Tensor& t) {
  // xt::dump_npy(path, t) does not check the write; build the bytes, then write and check.
  const std::string bytes = xt::dump_npy(t);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw data_error("save_npy: cannot open " + path + " for writing (does the directory exist?)");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw data_error("save_npy: writing " + path + " failed (disk full?)");
}

Tensor load_npy(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.size() < kMagic.size() + 2 || std::string_view(bytes).substr(0, kMagic.size()) != kMagic) {
    fail(path, "bad magic: expected a file starting with \\x93NUMPY, found " + std::to_string(bytes.size()) +
                   " bytes that do not (not a .npy file)");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3) {
    fail(path, "unsupported format version " + std::to_string(major) + "." + std::to_string(minor) +
                   " (expected 1.0, 2.0 or 3.0)");
  }
  const std::size_t len_width = major == 1 ? 2 : 4;
  const std::size_t dict_start = 8 + len_width;
  if (bytes.size() < dict_start) fail(path, "truncated inside the header");
  const std::size_t dict_len = little_endian(bytes, 8, len_width);
  const std::size_t data_start = dict_start + dict_len;
  if (bytes.size() < data_start) {
    fail(path, "truncated: the header claims " + std::to_string(dict_len) + " bytes, the file has only " +
                   std::to_string(bytes.size() - dict_start) + " after the magic");
  }
  const Header h = parse_dict(path, bytes.substr(dict_start, dict_len));
  if (h.descr != kExpectedDescr) {
    fail(path, std::string("dtype '") + h.descr + "', expected '" + kExpectedDescr +
                   "' (little-endian float32; convert with numpy: a.astype('<f4'))");
  }
  if (h.fortran_order) fail(path, "Fortran order, expected C order (save with np.ascontiguousarray)");

  std::size_t count = 1;
  for (const std::size_t d : h.shape) count *= d;
  const std::size_t expected = data_start + count * sizeof(float);
  if (bytes.size() != expected) {
    fail(path, std::string(bytes.size() < expected ? "truncated" : "trailing bytes") + ": shape " + shape_str(h.shape) +
                   " needs " + std::to_string(count * sizeof(float)) + " bytes of data, found " +
                   std::to_string(bytes.size() - data_start));
  }
  Tensor t = Tensor::from_shape(h.shape);
  if (count > 0) std::memcpy(t.data(), bytes.data() + data_start, count * sizeof(float));
  return t;
}

namespace {
std::string weight_path(const std::string& dir, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "." ||
      name == "..") {
    throw value_error("weights: parameter name '" + name +
                      "' cannot be a file name (expected a non-empty name without '/', e.g. \"0.weight\")");
  }
  return dir + "/" + name + ".npy";
}
}  // namespace

void save_weights(const NamedParams& params, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw data_error("save_weights: cannot create directory " + dir + ": " + ec.message());
  for (const auto& [name, p] : params) save_npy(weight_path(dir, name), p->value);
}

void load_weights(const NamedParams& params, const std::string& dir) {
  // Read and check everything first so a bad file leaves the parameters untouched.
  std::vector<Tensor> loaded;
  loaded.reserve(params.size());
  for (const auto& [name, p] : params) {
    const std::string path = weight_path(dir, name);
    Tensor t = load_npy(path);
    if (t.shape() != p->value.shape()) {
      throw shape_error("load_weights: " + path + " holds " + shape_of(t) + ", parameter '" + name + "' expects " +
                        shape_of(p->value));
    }
    loaded.push_back(std::move(t));
  }
  for (std::size_t i = 0; i < params.size(); ++i) params[i].second->value = std::move(loaded[i]);
}

}  // namespace tt
