package main

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
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

// withRules returns the services with each rule attached to the one method its selector names, as
// a google.api.http option of that method's descriptor, which vanguard reads per method.
// vanguard's WithRules matches a selector as a name prefix (0.4.0, and its main branch as of
// 2026-06), so GetVisitReport's rule would be applied to GetVisitReportDocument too and their
// routes collide; an option binds exactly one method. Every selector must name a method.
func withRules(services []protoreflect.ServiceDescriptor, rules []*annotations.HttpRule) (
	[]protoreflect.ServiceDescriptor, error) {
	bySelector := map[protoreflect.FullName]*annotations.HttpRule{}
	for _, rule := range rules {
		name := protoreflect.FullName(rule.GetSelector())
		if _, twice := bySelector[name]; twice {
			return nil, fmt.Errorf("http_rules.yaml: two rules for %s (use additional_bindings)", name)
		}
		bySelector[name] = rule
	}
	annotated := make([]protoreflect.ServiceDescriptor, 0, len(services))
	for _, service := range services {
		methods := make([]protoreflect.MethodDescriptor, service.Methods().Len())
		for i := range methods {
			method := service.Methods().Get(i)
			methods[i] = method
			rule, ok := bySelector[method.FullName()]
			if !ok {
				continue
			}
			delete(bySelector, method.FullName())
			options, _ := proto.Clone(method.Options()).(*descriptorpb.MethodOptions)
			if options == nil {
				options = &descriptorpb.MethodOptions{}
			}
			proto.SetExtension(options, annotations.E_Http, rule)
			methods[i] = ruledMethod{method, options}
		}
		annotated = append(annotated, ruledService{service, ruledMethods{service.Methods(), methods}})
	}
	for name := range bySelector {
		return nil, fmt.Errorf("http_rules.yaml: %s is no method of homevisit.v1", name)
	}
	return annotated, nil
}

// A method descriptor with other options; everything else is the generated descriptor's, so
// vanguard still resolves its messages to the generated Go types.
type ruledMethod struct {
	protoreflect.MethodDescriptor
	options *descriptorpb.MethodOptions
}

func (m ruledMethod) Options() protoreflect.ProtoMessage { return m.options }

type ruledMethods struct {
	protoreflect.MethodDescriptors
	list []protoreflect.MethodDescriptor
}

func (m ruledMethods) Get(i int) protoreflect.MethodDescriptor { return m.list[i] }

func (m ruledMethods) ByName(name protoreflect.Name) protoreflect.MethodDescriptor {
	for _, method := range m.list {
		if method.Name() == name {
			return method
		}
	}
	return nil
}

type ruledService struct {
	protoreflect.ServiceDescriptor
	methods ruledMethods
}

func (s ruledService) Methods() protoreflect.MethodDescriptors { return s.methods }
