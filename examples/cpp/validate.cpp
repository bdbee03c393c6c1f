// Validates an event file with the C++ wrapper and prints its FHIR AdverseEvent when valid.
// usage: example_validate_cpp EVENT.json
#include <fstream>
#include <iostream>
#include <lfpse/lfpse.hpp>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " EVENT.json\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    lfpse::taxonomy_set taxonomies;  // versions 5 and 6 are built in
    std::cout << taxonomies.validate(text.str()) << "\n";
    lfpse::event_result fhir = taxonomies.to_fhir(text.str());
    if (!fhir.ok) {
      std::cerr << "no FHIR: the event does not validate\n";
      return 1;
    }
    std::cout << fhir.json << "\n";
  } catch (const lfpse::error& e) {
    std::cerr << "lfpse: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
