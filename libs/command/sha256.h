#ifndef SAMRAD_LIBS_COMMAND_SHA256_H_
#define SAMRAD_LIBS_COMMAND_SHA256_H_

// SHA-256 over OpenSSL's EVP interface, for the hash chain and request fingerprints.

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct evp_md_ctx_st;

namespace samrad::command {

inline constexpr size_t kSha256Bytes = 32;

// An incremental SHA-256. Not thread-safe; one object per digest.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  void Update(std::string_view data);
  // The 32-byte digest of everything passed to Update. The object is spent afterwards.
  // Fails only when OpenSSL does (out of memory).
  absl::StatusOr<std::string> Finish();

 private:
  struct CtxDeleter {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxDeleter> ctx_;
  absl::Status status_;
};

// The digest of the concatenation of `parts`.
absl::StatusOr<std::string> Sha256Of(std::initializer_list<std::string_view> parts);

// Lower-case hexadecimal of `bytes`.
std::string HexEncode(std::string_view bytes);

}  // namespace samrad::command

#endif  // SAMRAD_LIBS_COMMAND_SHA256_H_
