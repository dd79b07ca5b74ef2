package datatier

import (
	"encoding/json"
	"testing"
)

// The application's secret has the JSON shape Secrets Manager's rotation functions for Amazon RDS
// read (the alternating-users strategy: engine, host, port, username, password, dbname, masterarn),
// so that rotation can be turned on without changing it; the master's has the same shape without
// masterarn.
func TestSecretDocumentIsRotationReady(t *testing.T) {
	for _, c := range []struct {
		engine Engine
		want   string
		port   float64
	}{{EngineMySQL, "mysql", 3306}, {EnginePostgreSQL, "postgres", 5432}} {
		a := Args{Engine: c.engine, DatabaseName: "app"}
		raw, err := secretDocument(a, "app", "pw", "writer.example", "reader.example", []any{"writer.example"}, "arn:aws:secretsmanager:us-east-1:1:secret:master")
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"engine": c.want, "host": "writer.example", "port": c.port, "username": "app", "password": "pw",
			"dbname": "app", "masterarn": "arn:aws:secretsmanager:us-east-1:1:secret:master"}
		for k, v := range want {
			if doc[k] != v {
				t.Errorf("%s: %s = %v, want %v", c.engine, k, doc[k], v)
			}
		}
		raw, err = secretDocument(a, "dbadmin", "pw", "h", "r", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		doc = nil
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatal(err)
		}
		if _, ok := doc["masterarn"]; ok {
			t.Errorf("%s: the master's secret names no master", c.engine)
		}
		if doc["engine"] != c.want {
			t.Errorf("%s: master engine = %v, want %s", c.engine, doc["engine"], c.want)
		}
	}
}

// The Data API's versions: the tier refuses an engine version without it, as it could not create
// the application's user there.
func TestSupportsDataAPI(t *testing.T) {
	for _, c := range []struct {
		engine  Engine
		version string
		want    bool
	}{
		{EngineMySQL, "8.0.mysql_aurora.3.08.2", true},
		{EngineMySQL, "8.0.mysql_aurora.3.07.0", true},
		{EngineMySQL, "8.0.mysql_aurora.3.06.1", false},
		{EngineMySQL, "8.4.0", true},
		{EnginePostgreSQL, "16.6", true},
		{EnginePostgreSQL, "16.0", false},
		{EnginePostgreSQL, "13.11", true},
		{EnginePostgreSQL, "13.10", false},
		{EnginePostgreSQL, "14.8", true},
		{EnginePostgreSQL, "15.2", false},
		{EnginePostgreSQL, "17.4", true},
		{EnginePostgreSQL, "18.1", true},
	} {
		if got := SupportsDataAPI(c.engine, c.version); got != c.want {
			t.Errorf("SupportsDataAPI(%s, %s) = %v, want %v", c.engine, c.version, got, c.want)
		}
	}
}
