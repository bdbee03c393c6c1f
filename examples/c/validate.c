/* Validates an event file and, when it is valid, prints its FHIR AdverseEvent.
 * usage: example_validate_c EVENT.json */
#include <lfpse/lfpse.h>
#include <stdio.h>
#include <stdlib.h>

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) != NULL) {
    *len = fread(text, 1, (size_t)size, f);
    text[*len] = '\0';
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  lfpse_taxonomy_set *set = NULL;
  char *verdict = NULL, *fhir = NULL, *text;
  size_t len = 0;
  lfpse_status st;
  if (argc != 2) {
    fprintf(stderr, "usage: %s EVENT.json\n", argv[0]);
    return 2;
  }
  if (!(text = read_file(argv[1], &len))) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  if (lfpse_taxonomy_set_new(&set, LFPSE_TAXONOMY_SET_DEFAULT) != LFPSE_OK) {
    fprintf(stderr, "lfpse: %s\n", lfpse_error_last());
    free(text);
    return 2;
  }
  /* Validation issues are data: the call succeeds whatever the verdict. */
  if (lfpse_event_validate(set, text, len, NULL, &verdict, NULL) == LFPSE_OK) {
    printf("%s\n", verdict);
  }
  st = lfpse_event_to_fhir(set, text, len, NULL, &fhir, NULL);
  if (st == LFPSE_OK)
    printf("%s\n", fhir);
  else
    fprintf(stderr, "no FHIR: %s (%s)\n", lfpse_status_str(st), lfpse_error_last());
  lfpse_free(fhir);
  lfpse_free(verdict);
  lfpse_taxonomy_set_free(set);
  free(text);
  return st == LFPSE_OK ? 0 : 1;
}
