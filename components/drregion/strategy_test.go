package drregion

import (
	"testing"
	"time"
)

func TestStrategyObjectives(t *testing.T) {
	cases := []struct {
		strategy Strategy
		rpo, rto time.Duration
	}{
		{StrategyBackupRestore, 27 * time.Hour, 8 * time.Hour},
		{StrategyPilotLight, time.Second, 30 * time.Minute},
		{StrategyWarmStandby, time.Second, 10 * time.Minute},
		{StrategyActiveActive, time.Second, time.Minute},
	}
	var prevRTO time.Duration
	for i, c := range cases {
		t.Run(string(c.strategy), func(t *testing.T) {
			got, err := c.strategy.Objectives()
			if err != nil {
				t.Fatal(err)
			}
			if got.RPO != c.rpo || got.RTO != c.rto {
				t.Errorf("RPO/RTO = %v/%v, want %v/%v", got.RPO, got.RTO, c.rpo, c.rto)
			}
			if got.Why == "" {
				t.Error("no reason given")
			}
			if i > 0 && got.RTO >= prevRTO {
				t.Errorf("RTO %v is not shorter than the cheaper strategy's %v", got.RTO, prevRTO)
			}
			prevRTO = got.RTO
		})
	}
	if len(cases) != len(Strategies()) {
		t.Errorf("the table covers %d strategies of %d", len(cases), len(Strategies()))
	}
	if _, err := Strategy("hotSpare").Objectives(); err == nil {
		t.Error("an unknown strategy has objectives")
	}
	if got := BackupCompletionWindow + 24*time.Hour; got != cases[0].rpo {
		t.Errorf("backupRestore's RPO %v is not a day plus the completion window %v", cases[0].rpo, got)
	}
}

func TestParseStrategy(t *testing.T) {
	cases := []struct {
		in   string
		want Strategy
		ok   bool
	}{
		{"", StrategyBackupRestore, true},
		{"warmstandby", StrategyWarmStandby, true},
		{"activeActive", StrategyActiveActive, true},
		{"hotSpare", "", false},
	}
	for _, c := range cases {
		got, err := ParseStrategy(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseStrategy(%q) = %q, %v; want %q, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestFormatObjective(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Second: "1s", 10 * time.Minute: "10m", 27 * time.Hour: "27h", 90 * time.Minute: "1h30m", 0: "0s"} {
		if got := FormatObjective(d); got != want {
			t.Errorf("FormatObjective(%v) = %q, want %q", d, got, want)
		}
	}
}
