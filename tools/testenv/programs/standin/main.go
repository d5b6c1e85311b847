// standin plays a QED service whose real image cannot be pulled here: it listens
// on the service's ports (QED_STANDIN_PORTS, comma-separated; by default every
// port a QED service uses) and answers each connection with a short HTTP reply
// naming itself, so readiness probes, Services and port-forwards see a real
// process. Any arguments (the command the manifest gives: celery, dask-worker…)
// are accepted and printed, not run.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// The container ports of the QED services (manifests/base): nginx, django, flask,
// flower, cts-nodejs, dask, mongodb, hms-dotnetcore and tomcat.
const defaultPorts = "80,443,4000,5555,7777,8080,8786,8787,27017"

func main() {
	ports := os.Getenv("QED_STANDIN_PORTS")
	if ports == "" {
		ports = defaultPorts
	}
	name, _ := os.Hostname()
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.Printf("standin %s started as %q", name, strings.Join(os.Args, " "))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "qed-testenv standin %s: %s %s\n", name, r.Method, r.URL.Path)
	})
	listening := 0
	for _, port := range strings.Split(ports, ",") {
		port = strings.TrimSpace(port)
		if port == "" {
			continue
		}
		listener, err := net.Listen("tcp", ":"+port)
		if err != nil {
			log.Printf("port %s: %v", port, err)
			continue
		}
		listening++
		log.Printf("listening on %s", port)
		go func() { log.Print(http.Serve(listener, handler)) }()
	}
	if listening == 0 {
		log.Fatal("no port could be opened")
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	log.Printf("stopping on %v", <-signals)
}
