// Command unseal decrypts SealedSecrets with the Sealed Secrets controller's
// own code (the module github.com/bitnami-labs/sealed-secrets, at the version
// the pinned chart deploys): SealedSecret.Unseal, as the controller calls it.
// A test tool of Plinth's e2e suite, built into the user cache, never shipped.
//
// Usage: unseal PRIVATE-KEY.pem < sealedsecret.json
// Prints the unsealed Secret's data as JSON {key: value}; exits 1 when the
// controller would refuse it.
package main

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"os"

	ssv1alpha1 "github.com/bitnami-labs/sealed-secrets/pkg/apis/sealedsecrets/v1alpha1"
	"github.com/bitnami-labs/sealed-secrets/pkg/crypto"
	"k8s.io/client-go/kubernetes/scheme"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: unseal PRIVATE-KEY.pem < sealedsecret.json")
	}
	keyPem, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("%v", err)
	}
	block, _ := pem.Decode(keyPem)
	if block == nil {
		fail("no PEM block in %s", os.Args[1])
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		fail("private key: %v", err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		fail("not an RSA key")
	}
	fp, err := crypto.PublicKeyFingerprint(&key.PublicKey)
	if err != nil {
		fail("%v", err)
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("%v", err)
	}
	var sealed ssv1alpha1.SealedSecret
	if err := json.Unmarshal(in, &sealed); err != nil {
		fail("SealedSecret: %v", err)
	}
	secret, err := sealed.Unseal(scheme.Codecs, map[string]*rsa.PrivateKey{fp: key})
	if err != nil {
		fail("unseal: %v", err)
	}
	out := map[string]any{"name": secret.Name, "namespace": secret.Namespace, "type": string(secret.Type), "labels": secret.Labels, "annotations": secret.Annotations}
	data := map[string]string{}
	for k, v := range secret.Data {
		data[k] = string(v)
	}
	out["data"] = data
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("%v", err)
	}
}
