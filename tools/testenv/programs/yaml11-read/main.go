// yaml11-read reads one YAML document on stdin and prints it as JSON, decoded
// exactly as kubectl and the API server decode a manifest: sigs.k8s.io/yaml's
// YAMLToJSON over go-yaml v2, whose implicit types are YAML 1.1's (y, off, 0755,
// 1_000 and the like are not strings there). The tests of the project's YAML
// writer take it as the authority on what Kubernetes reads back.
package main

import (
	"fmt"
	"io"
	"os"

	"sigs.k8s.io/yaml"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "yaml11-read:", err)
		os.Exit(1)
	}
	out, err := yaml.YAMLToJSON(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "yaml11-read:", err)
		os.Exit(1)
	}
	if _, err := os.Stdout.Write(out); err != nil {
		os.Exit(1)
	}
}
