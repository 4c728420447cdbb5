// Secrets: random tokens (getrandom) and their SHA-256 (OpenSSL), for people's tokens, sessions,
// CSRF values and content addresses.
// Not a password store: every secret here is 160+ random bits, so a plain SHA-256 is enough (a slow
// KDF protects guessable passwords; nobody can enumerate 2^160 tokens) and lets a token be found
// by its hash in one index lookup.
#pragma once

#include <string>
#include <string_view>

namespace tt::arena {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string random_hex(std::size_t bytes);

// A person's secret: "tta_" + 40 hex characters (160 bits).
std::string new_person_token();

// SHA-256 of data as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

// Equal strings, compared in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace tt::arena
