module qed-testenv/yaml11-read

go 1.26

// The versions Kubernetes v1.35.1 (versions.env) builds kubectl and the API server with:
// its go.mod requires sigs.k8s.io/yaml v1.6.0 and go.yaml.in/yaml/v2 v2.4.3.
require (
	go.yaml.in/yaml/v2 v2.4.3 // indirect
	sigs.k8s.io/yaml v1.6.0
)
