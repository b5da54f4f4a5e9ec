package training

import (
	"sync"
	"time"
)

// Stage is how long one stage of a run took.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Stages records the wall time of a run's stages, in the order they end.
// A nil *Stages records nothing, so code can time itself unconditionally.
type Stages struct {
	mu   sync.Mutex
	list []Stage
}

// Done records that the stage name, begun at start, has ended, and returns
// the time it ended (the next stage's start).
func (s *Stages) Done(name string, start time.Time) time.Time {
	now := time.Now()
	if s == nil {
		return now
	}
	s.mu.Lock()
	s.list = append(s.list, Stage{Name: name, Seconds: now.Sub(start).Seconds()})
	s.mu.Unlock()
	return now
}

// List returns the stages recorded so far.
func (s *Stages) List() []Stage {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Stage(nil), s.list...)
}
