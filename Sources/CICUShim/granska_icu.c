#include "granska_icu.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

void granska_icu_free(void *buffer) { free(buffer); }

const char *granska_icu_version(void) {
    static char version[U_MAX_VERSION_STRING_LENGTH] = {0};
    if (version[0] == 0) {
        UVersionInfo info;
        u_getVersion(info);
        u_versionToString(info, version);
    }
    return version;
}

// UTF-8 → freshly allocated UTF-16.
static UChar *to_utf16(const char *text, int32_t length, int32_t *out_length) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strFromUTF8WithSub(NULL, 0, &needed, text, length, 0xFFFD, NULL, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return NULL;
    status = U_ZERO_ERROR;
    UChar *buffer = malloc(sizeof(UChar) * (size_t)(needed + 1));
    if (!buffer) return NULL;
    u_strFromUTF8WithSub(buffer, needed + 1, out_length, text, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) { free(buffer); return NULL; }
    return buffer;
}

// UTF-16 → freshly allocated, NUL-terminated UTF-8.
static char *to_utf8(const UChar *text, int32_t length, int32_t *out_length) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strToUTF8WithSub(NULL, 0, &needed, text, length, 0xFFFD, NULL, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return NULL;
    status = U_ZERO_ERROR;
    char *buffer = malloc((size_t)needed + 1);
    if (!buffer) return NULL;
    u_strToUTF8WithSub(buffer, needed + 1, out_length, text, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) { free(buffer); return NULL; }
    buffer[*out_length] = 0;
    return buffer;
}

static const UNormalizer2 *normalizer(int form, UErrorCode *status) {
    switch (form) {
    case GRANSKA_ICU_NFD: return unorm2_getNFDInstance(status);
    case GRANSKA_ICU_NFKC: return unorm2_getNFKCInstance(status);
    default: return unorm2_getNFCInstance(status);
    }
}

static UChar *normalize16(const UChar *source, int32_t length, int form, int32_t *out_length) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *norm = normalizer(form, &status);
    if (U_FAILURE(status)) return NULL;
    int32_t capacity = length * 3 + 16;
    UChar *buffer = malloc(sizeof(UChar) * (size_t)capacity);
    if (!buffer) return NULL;
    *out_length = unorm2_normalize(norm, source, length, buffer, capacity, &status);
    if (U_FAILURE(status)) { free(buffer); return NULL; }
    return buffer;
}

char *granska_icu_normalize(const char *text, int32_t length, int form, int32_t *out_length) {
    int32_t length16 = 0, normalized_length = 0;
    UChar *source = to_utf16(text, length, &length16);
    if (!source) return NULL;
    UChar *normalized = normalize16(source, length16, form, &normalized_length);
    free(source);
    if (!normalized) return NULL;
    char *result = to_utf8(normalized, normalized_length, out_length);
    free(normalized);
    return result;
}

char *granska_icu_case(const char *text, int32_t length, int operation, const char *locale,
                       int32_t *out_length) {
    int32_t length16 = 0;
    UChar *source = to_utf16(text, length, &length16);
    if (!source) return NULL;
    int32_t capacity = length16 * 3 + 16;
    UChar *buffer = malloc(sizeof(UChar) * (size_t)capacity);
    if (!buffer) { free(source); return NULL; }
    UErrorCode status = U_ZERO_ERROR;
    int32_t result_length;
    switch (operation) {
    case GRANSKA_ICU_UPPER:
        result_length = u_strToUpper(buffer, capacity, source, length16, locale, &status);
        break;
    case GRANSKA_ICU_FOLD:
        result_length = u_strFoldCase(buffer, capacity, source, length16, U_FOLD_CASE_DEFAULT, &status);
        break;
    default:
        result_length = u_strToLower(buffer, capacity, source, length16, locale, &status);
        break;
    }
    free(source);
    if (U_FAILURE(status)) { free(buffer); return NULL; }
    char *result = to_utf8(buffer, result_length, out_length);
    free(buffer);
    return result;
}

char *granska_icu_strip_marks(const char *text, int32_t length, int32_t *out_length) {
    int32_t length16 = 0, decomposed_length = 0;
    UChar *source = to_utf16(text, length, &length16);
    if (!source) return NULL;
    UChar *decomposed = normalize16(source, length16, GRANSKA_ICU_NFD, &decomposed_length);
    free(source);
    if (!decomposed) return NULL;
    // Drop nonspacing marks in place (BMP suffices: the marks we meet are all BMP).
    int32_t kept = 0;
    for (int32_t i = 0; i < decomposed_length; i++) {
        if (u_charType(decomposed[i]) != U_NON_SPACING_MARK) decomposed[kept++] = decomposed[i];
    }
    int32_t composed_length = 0;
    UChar *composed = normalize16(decomposed, kept, GRANSKA_ICU_NFC, &composed_length);
    free(decomposed);
    if (!composed) return NULL;
    char *result = to_utf8(composed, composed_length, out_length);
    free(composed);
    return result;
}

int32_t granska_icu_word_boundaries(const char *text, int32_t length, const char *locale,
                                    int32_t **boundaries, int32_t **statuses) {
    UErrorCode status = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, length, &status);
    if (U_FAILURE(status)) return -1;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
    if (U_FAILURE(status)) { utext_close(ut); return -1; }
    ubrk_setUText(bi, ut, &status);
    if (U_FAILURE(status)) { ubrk_close(bi); utext_close(ut); return -1; }

    int32_t capacity = 64, count = 0;
    int32_t *bounds = malloc(sizeof(int32_t) * (size_t)capacity);
    int32_t *stats = malloc(sizeof(int32_t) * (size_t)capacity);
    if (!bounds || !stats) { free(bounds); free(stats); ubrk_close(bi); utext_close(ut); return -1; }
    int32_t position = ubrk_first(bi);
    bounds[count] = position;
    stats[count] = 0;
    count++;
    while ((position = ubrk_next(bi)) != UBRK_DONE) {
        if (count == capacity) {
            capacity *= 2;
            int32_t *nb = realloc(bounds, sizeof(int32_t) * (size_t)capacity);
            int32_t *ns = realloc(stats, sizeof(int32_t) * (size_t)capacity);
            if (!nb || !ns) { free(nb ? nb : bounds); free(ns ? ns : stats); ubrk_close(bi); utext_close(ut); return -1; }
            bounds = nb; stats = ns;
        }
        // The status describes the segment that ends at this boundary.
        stats[count - 1] = ubrk_getRuleStatus(bi);
        bounds[count] = position;
        stats[count] = 0;
        count++;
    }
    ubrk_close(bi);
    utext_close(ut);
    *boundaries = bounds;
    *statuses = stats;
    return count;
}
