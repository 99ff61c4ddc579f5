// DecodeShopItemFields: the one reader of store item fields, for staff requests (HTTP bodies, Python
// keyword arguments) and for catalogue files. One field table; two message styles.
#include <limits>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "clash/shop.h"
#include "clash/wire.h"

namespace clash {
namespace {

using nlohmann::json;
using Style = ShopItemDecoding::Style;

enum class Kind { kString, kInt, kBool, kCategory, kImage, kData, kKey };

struct Field {
  const char* name;
  Kind kind;
  bool required_in_catalogue;
};

// In the order the fields are checked (the catalogue's order, so its first error is the one shown).
constexpr Field kFields[] = {
    {"key", Kind::kKey, true},           {"name", Kind::kString, true},       {"description", Kind::kString, false},
    {"icon_name", Kind::kString, false}, {"category", Kind::kCategory, true}, {"cost", Kind::kInt, true},
    {"image", Kind::kImage, false},      {"item_data", Kind::kData, false},   {"featured", Kind::kBool, false},
    {"is_active", Kind::kBool, false},
};

// A field error: the message of the style, with the field as a detail (request style: the host
// renders {"<field>": ["<problem>"]}; the message is "<field>: <problem>").
Status FieldError(Style style, const std::string& field, const std::string& problem, const std::string& catalogue) {
  if (style == Style::kCatalogue) return Status::InvalidArgument(catalogue).WithDetail("field", field);
  return Status::InvalidArgument(field + ": " + problem).WithDetail("field", field).WithDetail("problem", problem);
}

Status ReadField(const Field& f, const json& v, Style style, DecodedShopItem& out) {
  const std::string name = f.name;
  const bool catalogue = style == Style::kCatalogue;
  const std::string quoted = "\"" + name + "\"";
  switch (f.kind) {
    case Kind::kString:
    case Kind::kKey: {
      if (!v.is_string()) return FieldError(style, name, "Not a valid string.", quoted + " must be a string");
      std::string text = v.get<std::string>();
      if (f.kind == Kind::kKey) {
        if (catalogue && text.empty()) return FieldError(style, name, "", quoted + " must not be empty");
        out.key = std::move(text);
      } else if (name == "name") {
        out.patch.name = std::move(text);
      } else if (name == "description") {
        out.patch.description = std::move(text);
      } else {
        out.patch.icon_name = std::move(text);
      }
      return Status::Ok();
    }
    case Kind::kInt: {
      std::optional<std::int64_t> n;
      if (catalogue) {
        if (!v.is_number_integer()) return FieldError(style, name, "", quoted + " must be an integer");
        if (v.is_number_unsigned() &&
            v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          return Status::InvalidArgument("cost must be between 0 and 1000000").WithDetail("field", name);
        }
        n = v.get<std::int64_t>();
      } else {
        n = LenientInteger(v.dump());
        if (!n) return FieldError(style, name, "A valid integer is required.", "");
      }
      out.patch.cost = *n;
      return Status::Ok();
    }
    case Kind::kBool:
      if (!v.is_boolean()) return FieldError(style, name, "Must be a valid boolean.", quoted + " must be true or false");
      (name == "featured" ? out.patch.featured : out.patch.is_active) = v.get<bool>();
      return Status::Ok();
    case Kind::kCategory: {
      if (!v.is_string()) return FieldError(style, name, "Not a valid string.", quoted + " must be a string");
      const std::string& text = v.get_ref<const std::string&>();
      Result<ShopCategory> parsed = ParseShopCategory(text);
      if (!parsed.ok()) {
        return FieldError(style, name, "\"" + text + "\" is not a valid choice.", "unknown category \"" + text + "\"");
      }
      out.patch.category = *parsed;
      return Status::Ok();
    }
    case Kind::kImage:
      if (v.is_null()) {
        out.patch.image = std::optional<std::string>();
      } else if (v.is_string()) {
        out.patch.image = std::optional<std::string>(v.get<std::string>());
      } else {
        return FieldError(style, name, "Not a valid string.", quoted + " must be a string or null");
      }
      return Status::Ok();
    case Kind::kData:
      // Request style: an object or its JSON text (a form field); the library checks it is an object.
      if (catalogue && !v.is_object()) return FieldError(style, name, "", "item_data must be a JSON object");
      out.patch.item_data_json = v.is_string() ? v.get<std::string>() : v.dump();
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

Result<DecodedShopItem> DecodeShopItemFields(std::string_view json_object, const ShopItemDecoding& how) {
  json body = json::parse(json_object, nullptr, /*allow_exceptions=*/false);
  const bool catalogue = how.style == Style::kCatalogue;
  if (body.is_discarded() || !body.is_object()) {
    return Status::InvalidArgument(catalogue ? "not a JSON object" : "Request body must be a JSON object.");
  }
  if (catalogue || how.refuse_unknown) {
    for (const auto& [key, value] : body.items()) {
      bool known = false;
      for (const Field& f : kFields) known |= key == f.name;
      if (!known) {
        return Status::InvalidArgument(catalogue ? "unknown field \"" + key + "\""
                                                 : "unknown store item field '" + key + "'")
            .WithDetail("field", key);
      }
    }
  }
  DecodedShopItem out;
  if (!catalogue && how.require_all) {
    for (const char* name : {"name", "cost", "icon_name"}) {
      if (!body.contains(name) || body[name].is_null()) {
        return FieldError(how.style, name, "This field is required.", "");
      }
    }
  }
  for (const Field& f : kFields) {
    auto it = body.find(f.name);
    // Request style treats null as absent (DRF), except for image, where null clears it.
    const bool present = it != body.end() && (catalogue || !it->is_null() || f.kind == Kind::kImage);
    if (!present) {
      if (catalogue && f.required_in_catalogue) {
        return FieldError(how.style, f.name, "", std::string("missing \"") + f.name + "\"");
      }
      continue;
    }
    if (it->is_null() && f.kind == Kind::kImage && catalogue) continue;  // a catalogue item without an image
    CLASH_RETURN_IF_ERROR(ReadField(f, *it, how.style, out));
  }
  return out;
}

}  // namespace clash
