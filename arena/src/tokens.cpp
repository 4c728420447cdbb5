// Random secrets from the kernel and SHA-256 from OpenSSL (see tokens.hpp for why not a KDF).
// Not where tokens are checked: auth.cpp does that.
#include "tt/arena/tokens.hpp"

#include <openssl/evp.h>
#include <sys/random.h>

#include <stdexcept>
#include <vector>

namespace tt::arena {

namespace {
std::string to_hex(const unsigned char* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  return out;
}
}  // namespace

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  for (std::size_t got = 0; got < bytes;) {
    const ssize_t n = getrandom(buf.data() + got, bytes - got, 0);
    if (n < 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(n);
  }
  return to_hex(buf.data(), bytes);
}

std::string new_person_token() { return "tta_" + random_hex(20); }

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return to_hex(md, len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace tt::arena
