// Package kdc starts a real MIT Kerberos KDC (Debian krb5-kdc) for tests: a fresh realm in a
// temporary directory, listening on a free loopback port, configured only through the
// KRB5_CONFIG and KRB5_KDC_PROFILE environment of the processes it starts, so nothing
// system-wide (/etc/krb5.conf, /var/lib/krb5kdc) is read or written.
//
// Usage:
//
//	k := kdc.Start(t)                       // realm EXAMPLE.TEST, stopped by t.Cleanup
//	k.AddPrincipal(t, "HTTP/localhost")     // random key
//	k.AddPrincipal(t, "yarn-operator")
//	kt := k.Keytab(t, "yarn-operator")      // keytab bytes (MIT format, kvno kept)
//	conf := k.Krb5Conf()                    // krb5.conf text for clients (gokrb5 or MIT)
//
// The binaries are found with realcomponents.Require, so a machine without krb5-kdc skips the
// test, and CI (ELASTIC_YARN_REQUIRE_REAL=1) fails it.
//
// Clock skew: the KDC runs on the real clock and no gokrb5 client lets its clock be shifted, so
// skew is provoked on the service side: a service that validates AP-REQs against a shifted
// clock (the RM emulator's SPNEGO ClockOffset) sees an authenticator outside the realm's
// allowed skew (Krb5Conf sets clockskew = ClockSkew) and rejects it with KRB_AP_ERR_SKEW, the
// same check and error an RM whose clock drifted would produce.
package kdc
