// SHA-256 (FIPS 180-4) of bytes and files, as lowercase hex: the submission's source digest.
// Not a cryptographic library: one hash, no HMAC; enough to tell which sources were measured.
#pragma once

#include <string>
#include <string_view>

namespace tt::capstone {

// 64 lowercase hex characters. sha256_hex("abc") = "ba7816bf…f20015ad".
std::string sha256_hex(std::string_view bytes);
// Digest of a file's bytes; data_error if it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace tt::capstone
