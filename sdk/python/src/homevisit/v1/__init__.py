"""Generated code of homevisit.v1 (scripts/generate-sdks.sh). Do not edit."""
