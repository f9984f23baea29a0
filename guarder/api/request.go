package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on a target request. They are generous for any real node and reject values that
// can only be bugs or attacks.
const (
	MaxBodyBytes       = 64 << 10
	MaxVCores          = 100_000
	MaxMemoryMB        = 64 << 20 // 64 TiB
	MaxReasonLength    = 256
	MaxDeadlineSeconds = 7 * 24 * 3600
	MaxAppPriorities   = 10_000
	MaxAppPriority     = 1_000_000
)

// TargetRequest is the body of POST /v1/target.
type TargetRequest struct {
	VCores   int64
	MemoryMB int64
	// Exactly one of DeadlineAt and DeadlineIn is set when a deadline was given.
	DeadlineAt    time.Time
	DeadlineIn    time.Duration
	Reason        string
	DryRun        bool
	AppPriorities map[string]int
}

var allowedFields = map[string]bool{
	"vcores": true, "memoryMB": true, "deadline": true, "reason": true, "dryRun": true, "appPriorities": true,
}

var applicationIDPattern = regexp.MustCompile(`^application_[0-9]{1,19}_[0-9]{1,19}$`)

// DecodeTargetRequest reads exactly one JSON object and validates it. Field names must match
// exactly (encoding/json alone would accept "VCORES"), unknown fields are rejected, and
// nothing may follow the object.
func DecodeTargetRequest(r io.Reader) (TargetRequest, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		return TargetRequest{}, fmt.Errorf("body is not a JSON object: %w", err)
	}
	if fields == nil {
		return TargetRequest{}, errors.New("body must be a JSON object, not null")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return TargetRequest{}, fmt.Errorf("body must hold a single JSON value: %w", err)
		}
		return TargetRequest{}, errors.New("body must hold a single JSON value")
	}
	for name := range fields {
		if !allowedFields[name] {
			return TargetRequest{}, fmt.Errorf("unknown field %q", truncate(name, 40))
		}
	}
	var req TargetRequest
	var err error
	if req.VCores, err = requiredInt(fields, "vcores", 0, MaxVCores); err != nil {
		return TargetRequest{}, err
	}
	if req.MemoryMB, err = requiredInt(fields, "memoryMB", 0, MaxMemoryMB); err != nil {
		return TargetRequest{}, err
	}
	if raw, ok := fields["deadline"]; ok {
		if req.DeadlineAt, req.DeadlineIn, err = parseDeadline(raw); err != nil {
			return TargetRequest{}, err
		}
	}
	if req.Reason, err = parseReason(fields["reason"]); err != nil {
		return TargetRequest{}, err
	}
	if raw, ok := fields["dryRun"]; ok {
		if err := strictUnmarshal(raw, &req.DryRun); err != nil {
			return TargetRequest{}, fmt.Errorf("dryRun must be true or false")
		}
	}
	if raw, ok := fields["appPriorities"]; ok {
		if req.AppPriorities, err = parsePriorities(raw); err != nil {
			return TargetRequest{}, err
		}
	}
	return req, nil
}

func requiredInt(fields map[string]json.RawMessage, name string, lo, hi int64) (int64, error) {
	raw, ok := fields[name]
	if !ok {
		return 0, fmt.Errorf("%s is required", name)
	}
	return parseInt(raw, name, lo, hi)
}

func parseInt(raw json.RawMessage, name string, lo, hi int64) (int64, error) {
	// json.Number would also accept a quoted number ("8"); a target is a JSON number only.
	if t := bytes.TrimSpace(raw); len(t) == 0 || (t[0] != '-' && (t[0] < '0' || t[0] > '9')) {
		return 0, fmt.Errorf("%s must be an integer", name)
	}
	var n json.Number
	if err := strictUnmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("%s must be an integer", name)
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s must be an integer", name)
	}
	if v < lo || v > hi {
		return 0, fmt.Errorf("%s must be between %d and %d", name, lo, hi)
	}
	return v, nil
}

// parseDeadline accepts an RFC 3339 time or a number of seconds from now.
func parseDeadline(raw json.RawMessage) (time.Time, time.Duration, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '"' {
		var s string
		if err := strictUnmarshal(raw, &s); err != nil {
			return time.Time{}, 0, errors.New("deadline must be an RFC 3339 time or seconds")
		}
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, 0, fmt.Errorf("deadline is not RFC 3339: %q", truncate(s, 40))
		}
		return at, 0, nil
	}
	secs, err := parseInt(raw, "deadline", 0, MaxDeadlineSeconds)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("deadline must be an RFC 3339 time or 0..%d seconds", MaxDeadlineSeconds)
	}
	return time.Time{}, time.Duration(secs) * time.Second, nil
}

func parseReason(raw json.RawMessage) (string, error) {
	if raw == nil {
		return "", errors.New("reason is required")
	}
	var s string
	if err := strictUnmarshal(raw, &s); err != nil {
		return "", errors.New("reason must be a string")
	}
	if s == "" || utf8.RuneCountInString(s) > MaxReasonLength {
		return "", fmt.Errorf("reason must be 1..%d characters", MaxReasonLength)
	}
	// Reasons end up in logs: no control characters (no forged log lines).
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return "", errors.New("reason must not contain control characters")
		}
	}
	return s, nil
}

func parsePriorities(raw json.RawMessage) (map[string]int, error) {
	var m map[string]json.RawMessage
	if err := strictUnmarshal(raw, &m); err != nil || m == nil {
		return nil, errors.New("appPriorities must be an object of application id to integer")
	}
	if len(m) > MaxAppPriorities {
		return nil, fmt.Errorf("appPriorities has more than %d entries", MaxAppPriorities)
	}
	out := make(map[string]int, len(m))
	for app, v := range m {
		if !applicationIDPattern.MatchString(app) {
			return nil, fmt.Errorf("appPriorities: %q is not an application id", truncate(app, 60))
		}
		p, err := parseInt(v, "appPriorities value", -MaxAppPriority, MaxAppPriority)
		if err != nil {
			return nil, err
		}
		out[app] = int(p)
	}
	return out, nil
}

// strictUnmarshal decodes one value with numbers kept as json.Number.
func strictUnmarshal(raw json.RawMessage, v any) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return errors.New("null")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
