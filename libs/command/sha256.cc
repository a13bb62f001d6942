#include "libs/command/sha256.h"

#include <openssl/evp.h>

namespace samrad::command {

void Sha256::CtxDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) {
    status_ = absl::ResourceExhaustedError("EVP_MD_CTX_new failed");
  } else if (EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    status_ = absl::InternalError("EVP_DigestInit_ex(sha256) failed");
  }
}

Sha256::~Sha256() = default;

void Sha256::Update(std::string_view data) {
  if (!status_.ok() || data.empty()) return;
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    status_ = absl::InternalError("EVP_DigestUpdate failed");
  }
}

absl::StatusOr<std::string> Sha256::Finish() {
  if (!status_.ok()) return status_;
  std::string digest(kSha256Bytes, '\0');
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), reinterpret_cast<unsigned char*>(digest.data()), &size) != 1 ||
      size != kSha256Bytes) {
    status_ = absl::InternalError("EVP_DigestFinal_ex failed");
    return status_;
  }
  status_ = absl::FailedPreconditionError("Sha256::Finish called twice");
  return digest;
}

absl::StatusOr<std::string> Sha256Of(std::initializer_list<std::string_view> parts) {
  Sha256 sha;
  for (std::string_view part : parts) sha.Update(part);
  return sha.Finish();
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0F]);
  }
  return out;
}

}  // namespace samrad::command
