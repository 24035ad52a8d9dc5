package main

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

func visitReportService(t *testing.T) protoreflect.ServiceDescriptor {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName("homevisit.v1.VisitReportService")
	if err != nil {
		t.Fatal(err)
	}
	return d.(protoreflect.ServiceDescriptor)
}

func get(selector, path string) *annotations.HttpRule {
	return &annotations.HttpRule{Selector: selector, Pattern: &annotations.HttpRule_Get{Get: path}}
}

// A rule binds the one method its selector names, not every method the name is a prefix of.
func TestWithRulesBindsExactlyTheNamedMethod(t *testing.T) {
	services, err := withRules([]protoreflect.ServiceDescriptor{visitReportService(t)},
		[]*annotations.HttpRule{get("homevisit.v1.VisitReportService.GetVisitReport", "/v1/{name=serviceOrders/*/visitReport}")})
	if err != nil {
		t.Fatal(err)
	}
	methods := services[0].Methods()
	for name, want := range map[protoreflect.Name]string{
		"GetVisitReport": "/v1/{name=serviceOrders/*/visitReport}", "GetVisitReportDocument": "", "ListVisitReports": "",
	} {
		rule, _ := getRule(methods.ByName(name))
		if rule.GetGet() != want {
			t.Errorf("%s: rule %q, want %q", name, rule.GetGet(), want)
		}
	}
}

func TestWithRulesRefusesUnknownAndRepeatedSelectors(t *testing.T) {
	services := []protoreflect.ServiceDescriptor{visitReportService(t)}
	_, err := withRules(services, []*annotations.HttpRule{get("homevisit.v1.VisitReportService.GetVisitRep", "/v1/x")})
	if err == nil || !strings.Contains(err.Error(), "is no method") {
		t.Errorf("a selector naming no method: %v", err)
	}
	twice := get("homevisit.v1.VisitReportService.GetVisitReport", "/v1/x")
	if _, err := withRules(services, []*annotations.HttpRule{twice, twice}); err == nil {
		t.Error("two rules for one method were accepted")
	}
}

// getRule reads the google.api.http option of a method, as vanguard does.
func getRule(m protoreflect.MethodDescriptor) (*annotations.HttpRule, bool) {
	opts := m.Options().ProtoReflect()
	ext := annotations.E_Http.TypeDescriptor()
	if !opts.Has(ext) {
		return nil, false
	}
	rule, ok := opts.Get(ext).Message().Interface().(*annotations.HttpRule)
	return rule, ok
}
