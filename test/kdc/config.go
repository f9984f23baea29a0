package kdc

import (
	"fmt"
	"strconv"
)

// Enctypes are the encryption types the realm issues keys for. gokrb5 and Java both handle them,
// and they avoid the weak types newer MIT releases refuse anyway.
const Enctypes = "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96"

// kdcConf is the KDC profile (KRB5_KDC_PROFILE): database, stash and log live in Dir, and the KDC
// listens on loopback only.
func (k *KDC) kdcConf() string {
	return fmt.Sprintf(`[kdcdefaults]
	kdc_listen = 127.0.0.1:%[2]d
	kdc_tcp_listen = 127.0.0.1:%[2]d

[realms]
	%[1]s = {
		database_name = %[3]s/principal
		key_stash_file = %[3]s/stash
		acl_file = %[3]s/kadm5.acl
		admin_keytab = FILE:%[3]s/kadm5.keytab
		max_life = 10h 0m 0s
		max_renewable_life = 7d 0h 0m 0s
		master_key_type = aes256-cts-hmac-sha1-96
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
		default_principal_flags = +preauth
		kdc_listen = 127.0.0.1:%[2]d
		kdc_tcp_listen = 127.0.0.1:%[2]d
		kadmind_port = 0
	}

[logging]
	kdc = FILE:%[3]s/krb5kdc.log
	admin_server = FILE:%[3]s/kadmin.log
	default = FILE:%[3]s/krb5lib.log
`, k.Realm, k.Port, k.Dir)
}

// Krb5Conf is the client configuration (krb5.conf text) for this realm: the KDC on loopback over
// TCP (udp_preference_limit = 1 avoids UDP fragmentation surprises), no DNS lookups, loopback
// names mapped to the realm. Pass it to gokrb5's config.NewFromString or write it to a file.
func (k *KDC) Krb5Conf() string {
	return fmt.Sprintf(`[libdefaults]
	default_realm = %[1]s
	dns_lookup_kdc = false
	dns_lookup_realm = false
	udp_preference_limit = 1
	rdns = false
	ignore_acceptor_hostname = false
	clockskew = %[3]d
	ticket_lifetime = 10h
	renew_lifetime = 7d
	forwardable = true
	default_tkt_enctypes = %[4]s
	default_tgs_enctypes = %[4]s
	permitted_enctypes = %[4]s

[realms]
	%[1]s = {
		kdc = %[2]s
		admin_server = %[2]s
	}

[domain_realm]
	localhost = %[1]s
	.example.test = %[1]s
	example.test = %[1]s
`, k.Realm, "127.0.0.1:"+strconv.Itoa(k.Port), int(ClockSkew.Seconds()), Enctypes)
}

// Krb5ConfPath is the path of a file holding Krb5Conf, for tools that want KRB5_CONFIG.
func (k *KDC) Krb5ConfPath() string { return k.path("krb5.conf") }
