package yarnclient

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Hadoop's Jersey 1 "mapped" JSON notation is loose: a one-element list arrives as an object,
// booleans and numbers may arrive as strings, and an empty list as null or "". The flex types
// below accept every shape we have seen so the typed API never has to care.

// flexInt accepts 12, "12", 12.0, null and "".
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*f = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "number " + s, Type: nil}
	}
	*f = flexInt(int64(x))
	return nil
}

// flexBool accepts true, "true", "TRUE", null (false).
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*f = false
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return &json.UnmarshalTypeError{Value: "bool " + s}
	}
	*f = flexBool(v)
	return nil
}

// flexString accepts "x", 12 (Jersey may print ids as numbers), true and null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*f = ""
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if b[0] == '{' || b[0] == '[' {
		return &json.UnmarshalTypeError{Value: "object for string"}
	}
	*f = flexString(b)
	return nil
}

// flexList accepts [a, b], a single a, null and "" (empty).
type flexList[T any] []T

func (f *flexList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`)) {
		*f = nil
		return nil
	}
	if b[0] == '[' {
		var xs []T
		if err := json.Unmarshal(b, &xs); err != nil {
			return err
		}
		*f = xs
		return nil
	}
	var x T
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = flexList[T]{x}
	return nil
}

// unwrapRoot returns the value under key when body is {"key": value}; otherwise body itself,
// because some Hadoop versions (and proxies) drop the root element. A JSON null under the key
// is returned as null so callers see "empty".
func unwrapRoot(body []byte, key string) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	if v, ok := m[key]; ok {
		return v, nil
	}
	return json.RawMessage(body), nil
}

func isNull(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`))
}
