package yarnclient

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
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
	if n, ok := plainInt(b); ok {
		*f = flexInt(n)
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
		if plain, ok := plainString(b); ok {
			*f = flexString(plain)
			return nil
		}
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

// plainString is the text of the JSON string b when it needs no unescaping (no backslash,
// valid UTF-8), which is every string the RM writes in a node listing: names, states,
// addresses. It saves the decoder json.Unmarshal starts for each field, most of the cost of
// decoding a 10,000-node listing (BenchmarkListTenThousandNodes). b is a string the outer
// decoder has already checked, so it cannot contain a bare quote or control character.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '\\') >= 0 || !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// plainInt is b when it is a bare JSON integer that fits in int64 without a sign other
// than a leading minus; anything else (quoted, fractional, exponent, too long) takes the
// general path.
func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
