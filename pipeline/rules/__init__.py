"""Rule packs as data (YAML) and their loader."""
