package main

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/encoding/protojson"
	"sigs.k8s.io/yaml"
)

// The REST mapping: google.api.http rules in a gRPC API configuration file, the one the OpenAPI
// document is generated from too (scripts/generate-openapi.sh), so the two cannot disagree.
//
//go:embed http_rules.yaml
var httpRulesYAML []byte

// restRules reads http_rules.yaml: vanguard transcodes REST calls by these rules, nothing is
// translated by hand.
func restRules() ([]*annotations.HttpRule, error) {
	data, err := yaml.YAMLToJSON(httpRulesYAML)
	if err != nil {
		return nil, fmt.Errorf("http_rules.yaml: %w", err)
	}
	var config struct {
		HTTP json.RawMessage `json:"http"`
	}
	if err := json.Unmarshal(data, &config); err != nil {
		return nil, fmt.Errorf("http_rules.yaml: %w", err)
	}
	var http annotations.Http
	if err := protojson.Unmarshal(config.HTTP, &http); err != nil {
		return nil, fmt.Errorf("http_rules.yaml: %w", err)
	}
	return http.GetRules(), nil
}
