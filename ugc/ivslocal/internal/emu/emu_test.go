package emu_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc/ivslocal/internal/emu"
)

func TestValidateTags(t *testing.T) {
	many := map[string]string{}
	for i := range 51 {
		many[fmt.Sprint("k", i)] = "v"
	}
	tests := []struct {
		name string
		tags map[string]string
		ok   bool
	}{
		{"nil", nil, true},
		{"one", map[string]string{"k": "v"}, true},
		{"empty value", map[string]string{"k": ""}, true},
		{"empty key", map[string]string{"": "v"}, false},
		{"long key", map[string]string{strings.Repeat("k", 129): "v"}, false},
		{"long value", map[string]string{"k": strings.Repeat("v", 257)}, false},
		{"51 tags", many, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := emu.ValidateTags(tt.tags)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateTags = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && (err.Code != "ValidationException" || err.Status != 400) {
				t.Errorf("error = %+v, want a 400 ValidationException", err)
			}
		})
	}
}

func TestTagsReset(t *testing.T) {
	tags := emu.NewTags()
	tags.Register("arn:a", map[string]string{"k": "v"})
	tags.Reset()
	if _, ok := tags.Get("arn:a"); ok {
		t.Errorf("resource still known after Reset")
	}
	if diff := cmp.Diff(map[string]map[string]string{}, tags.Snapshot()); diff != "" {
		t.Errorf("snapshot after Reset mismatch (-want +got):\n%s", diff)
	}
	tags.Register("arn:b", nil)
	if got, ok := tags.Get("arn:b"); !ok || len(got) != 0 {
		t.Errorf("Get after Reset and Register = %v, %v", got, ok)
	}
}

func TestFaultsList(t *testing.T) {
	var f emu.Faults
	f.Add(emu.Fault{Operation: "A", Error: "ThrottlingException", Count: 2})
	f.Add(emu.Fault{Operation: "B", Error: "ConflictException"})
	f.Take("A")
	want := []emu.Fault{
		{Operation: "A", Error: "ThrottlingException", Count: 1},
		{Operation: "B", Error: "ConflictException", Count: 1},
	}
	got := f.List()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}
	got[0].Count = 99 // a copy
	if f.List()[0].Count != 1 {
		t.Errorf("List shares its slice with the registry")
	}
	f.Clear()
	if diff := cmp.Diff([]emu.Fault{}, f.List()); diff != "" {
		t.Errorf("List after Clear mismatch (-want +got):\n%s", diff)
	}
}
