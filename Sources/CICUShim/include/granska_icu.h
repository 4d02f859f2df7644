// A small, opaque C interface to the system ICU.
//
// Swift must never see ICU's own headers: every ICU function is a versioned macro that Swift
// cannot import, and ICU's types clash with the copy of ICU bundled in Foundation on Linux.
// Everything here takes and returns UTF-8 with explicit lengths; returned buffers are
// allocated with malloc and released with `granska_icu_free`.
#ifndef GRANSKA_ICU_H
#define GRANSKA_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Normalisation forms accepted by `granska_icu_normalize`.
enum {
    GRANSKA_ICU_NFC = 0,
    GRANSKA_ICU_NFD = 1,
    GRANSKA_ICU_NFKC = 2,
};

/// Case operations accepted by `granska_icu_case`.
enum {
    GRANSKA_ICU_LOWER = 0,
    GRANSKA_ICU_UPPER = 1,
    GRANSKA_ICU_FOLD = 2,
};

/// Releases a buffer returned by this shim.
void granska_icu_free(void *buffer);

/// The ICU version string, e.g. "72.1" (static storage).
const char *granska_icu_version(void);

/// Normalises UTF-8 `text`. Returns NULL on error; `*out_length` receives the byte length.
char *granska_icu_normalize(const char *text, int32_t length, int form, int32_t *out_length);

/// Lower-, upper- or fold-cases UTF-8 `text` with the given locale ("sv" for Swedish).
char *granska_icu_case(const char *text, int32_t length, int operation, const char *locale,
                       int32_t *out_length);

/// Removes combining marks after canonical decomposition and recomposes (NFD, drop Mn, NFC):
/// "bedömning" → "bedomning". Used as a folding key for OCR that lost diacritics.
char *granska_icu_strip_marks(const char *text, int32_t length, int32_t *out_length);

/// Word-break boundaries of UTF-8 `text` as byte offsets (Swedish rules). For every segment
/// between boundary i and i+1, `statuses[i]` is ICU's rule status: 0 for spaces and punctuation,
/// 100..199 numbers, 200..299 letters, 300..399 kana, 400..499 ideographs. Returns the number of
/// boundaries (including 0 and `length`), or -1 on error. Both arrays are freed by the caller.
int32_t granska_icu_word_boundaries(const char *text, int32_t length, const char *locale,
                                    int32_t **boundaries, int32_t **statuses);

#ifdef __cplusplus
}
#endif

#endif
