#ifndef SAMRAD_LIBS_PROJECTION_KEY_CODEC_H_
#define SAMRAD_LIBS_PROJECTION_KEY_CODEC_H_

// Order-preserving encodings for the keys of a projection store.
//
// RocksDB orders keys bytewise. Every encoding here keeps the natural order of its values
// under that comparison, and composite keys built by appending several encodings sort
// like tuples: first by the first component, then by the second, and so on. Prefix scans
// over a leading component (e.g. every key of one tenant) therefore visit that component's
// keys in order.
//
//   std::string key;
//   keys::AppendString(&key, tenant);       // "1280"
//   keys::AppendInt64(&key, meeting_start); // ordered by time within the tenant
//
// Decoding consumes from the front of a std::string_view and returns false (leaving the
// view and the output unchanged) when the input is too short or malformed.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace samrad::projection::keys {

// Unsigned integers: fixed width, big-endian, so byte order equals numeric order.
inline void AppendUint64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

inline void AppendUint32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

// Signed integers: the sign bit is flipped before the big-endian encoding, so negative
// values sort before zero and positive ones (two's complement order otherwise inverts them).
inline void AppendInt64(std::string* out, int64_t v) {
  AppendUint64(out, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

inline void AppendInt32(std::string* out, int32_t v) {
  AppendUint32(out, static_cast<uint32_t>(v) ^ (uint32_t{1} << 31));
}

// Byte strings inside composite keys. Each 0x00 byte becomes 0x00 0xFF and the string ends
// with 0x00 0x01. The result is order-preserving and prefix-free: "a" < "a\0" < "ab", and a
// shorter string sorts before every longer one that extends it, whatever follows it in the
// key. A string that is the last component of a key may simply be appended raw instead.
inline void AppendString(std::string* out, std::string_view s) {
  for (char c : s) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xff');
  }
  out->push_back('\0');
  out->push_back('\x01');
}

inline std::string EncodeUint64(uint64_t v) {
  std::string out;
  AppendUint64(&out, v);
  return out;
}

inline std::string EncodeInt64(int64_t v) {
  std::string out;
  AppendInt64(&out, v);
  return out;
}

inline std::string EncodeInt32(int32_t v) {
  std::string out;
  AppendInt32(&out, v);
  return out;
}

inline std::string EncodeString(std::string_view s) {
  std::string out;
  AppendString(&out, s);
  return out;
}

inline bool ConsumeUint64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  uint64_t result = 0;
  for (int i = 0; i < 8; ++i) result = (result << 8) | static_cast<unsigned char>((*in)[i]);
  in->remove_prefix(8);
  *v = result;
  return true;
}

inline bool ConsumeUint32(std::string_view* in, uint32_t* v) {
  if (in->size() < 4) return false;
  uint32_t result = 0;
  for (int i = 0; i < 4; ++i) result = (result << 8) | static_cast<unsigned char>((*in)[i]);
  in->remove_prefix(4);
  *v = result;
  return true;
}

inline bool ConsumeInt64(std::string_view* in, int64_t* v) {
  uint64_t u = 0;
  if (!ConsumeUint64(in, &u)) return false;
  *v = static_cast<int64_t>(u ^ (uint64_t{1} << 63));
  return true;
}

inline bool ConsumeInt32(std::string_view* in, int32_t* v) {
  uint32_t u = 0;
  if (!ConsumeUint32(in, &u)) return false;
  *v = static_cast<int32_t>(u ^ (uint32_t{1} << 31));
  return true;
}

// Decodes a string written by AppendString.
inline bool ConsumeString(std::string_view* in, std::string* s) {
  std::string result;
  for (size_t i = 0; i < in->size(); ++i) {
    const char c = (*in)[i];
    if (c != '\0') {
      result.push_back(c);
      continue;
    }
    if (i + 1 >= in->size()) return false;
    const char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      *s = std::move(result);
      return true;
    }
    if (next != '\xff') return false;
    result.push_back('\0');
    ++i;
  }
  return false;
}

// The smallest key that is greater than every key starting with `prefix`: the exclusive
// upper bound of a prefix scan. Empty when no such key exists (an empty prefix, or one made
// only of 0xFF bytes): the scan then runs to the end of the key space.
inline std::string PrefixSuccessor(std::string_view prefix) {
  std::string upper(prefix);
  while (!upper.empty()) {
    unsigned char& last = reinterpret_cast<unsigned char&>(upper.back());
    if (last != 0xff) {
      ++last;
      return upper;
    }
    upper.pop_back();
  }
  return upper;
}

}  // namespace samrad::projection::keys

#endif  // SAMRAD_LIBS_PROJECTION_KEY_CODEC_H_
