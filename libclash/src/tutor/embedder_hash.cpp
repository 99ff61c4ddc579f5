// The offline embedder "hash-v1" (clash/retrieval.h): signed feature hashing of words, word bigrams
// and character 3/4-grams of each word, L2-normalised. Same text, same vector, on every machine.
#include <cmath>
#include <cstdint>
#include <set>
#include <string>

#include "clash/retrieval.h"

namespace clash {
namespace {

std::uint64_t Fnv1a(std::string_view s, std::uint64_t seed) {
  std::uint64_t h = 14695981039346656037ULL ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // Final mix (splitmix64) so that nearby inputs spread over the buckets.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

bool IsStopWord(const std::string& w) {
  static const std::set<std::string> kStop = {
      "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
      "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "so", "that",
      "the", "their", "then", "there", "these", "this", "to", "was", "what", "when", "where", "which",
      "why", "will", "with", "you", "your"};
  return kStop.count(w) > 0;
}

class HashEmbedder final : public Embedder {
 public:
  explicit HashEmbedder(int dimensions) : dims_(dimensions) {}
  // Vectors of another size are another embedder: they are recomputed, never compared.
  std::string Name() const override { return dims_ == 256 ? "hash-v1" : "hash-v1:" + std::to_string(dims_); }
  int Dimensions() const override { return dims_; }

  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) override {
    if (dims_ < 64 || dims_ > 4096) return Status::InvalidArgument("hash embedder dimensions must be 64-4096");
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (const std::string& t : texts) out.push_back(EmbedOne(t));
    return out;
  }

 private:
  void Add(std::vector<float>& v, std::string_view feature, std::uint64_t seed, float weight) const {
    std::uint64_t h = Fnv1a(feature, seed);
    v[h % static_cast<std::uint64_t>(dims_)] += (h >> 63) ? -weight : weight;
  }

  std::vector<float> EmbedOne(std::string_view text) const {
    std::vector<float> v(static_cast<std::size_t>(dims_), 0.0f);
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
      if (!word.empty() && !IsStopWord(word)) words.push_back(word);
      word.clear();
    };
    for (char ch : text) {
      unsigned char c = static_cast<unsigned char>(ch);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        word.push_back(static_cast<char>(c));
      } else if (c >= 'A' && c <= 'Z') {
        word.push_back(static_cast<char>(c - 'A' + 'a'));
      } else {
        flush();
      }
    }
    flush();
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::string& w = words[i];
      Add(v, w, 1, 1.0f);
      if (i + 1 < words.size()) Add(v, w + " " + words[i + 1], 2, 0.5f);
      // Character n-grams of the word with boundary marks: misspellings and inflections share most.
      std::string marked = "<" + w + ">";
      float share = 0;
      for (std::size_t n = 3; n <= 4; ++n) {
        if (marked.size() >= n) share += static_cast<float>(marked.size() - n + 1);
      }
      if (share == 0) continue;
      float weight = 1.0f / std::sqrt(share);
      for (std::size_t n = 3; n <= 4; ++n) {
        for (std::size_t j = 0; j + n <= marked.size(); ++j) {
          Add(v, std::string_view(marked).substr(j, n), 3 + n, weight);
        }
      }
    }
    double norm = 0;
    for (float x : v) norm += static_cast<double>(x) * x;
    if (norm > 0) {
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (float& x : v) x *= inv;
    }
    return v;
  }

  const int dims_;
};

}  // namespace

std::unique_ptr<Embedder> NewHashEmbedder(int dimensions) { return std::make_unique<HashEmbedder>(dimensions); }

}  // namespace clash
