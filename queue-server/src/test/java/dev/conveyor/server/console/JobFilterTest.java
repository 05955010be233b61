package dev.conveyor.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.JobState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobFilterTest {

    @Test
    void theFormsFieldsBecomeTheQuery() {
        JobQuery query = JobFilter.of(Form.parse("queue=datacenter&state=dead&type=tor_starter&label=rack%3Dr1"
                + "&from=2026-11-26T07%3A30&to=2026-11-26T08%3A00&before=120")).toQuery();

        assertThat(query.queue()).isEqualTo("datacenter");
        assertThat(query.state()).isEqualTo(JobState.DEAD);
        assertThat(query.type()).isEqualTo("tor_starter");
        assertThat(query.labelKey()).isEqualTo("rack");
        assertThat(query.labelValue()).isEqualTo("r1");
        assertThat(query.createdFrom()).isEqualTo(Instant.parse("2026-11-26T07:30:00Z"));
        assertThat(query.createdTo()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(query.beforeId()).isEqualTo(120L);
        assertThat(query.pageSize()).isEqualTo(JobFilter.PAGE_SIZE);
    }

    @Test
    void blankFieldsFilterNothing() {
        JobQuery query = JobFilter.of(Form.parse("queue=&state=&label=%20")).toQuery();

        assertThat(query.queue()).isNull();
        assertThat(query.state()).isNull();
        assertThat(query.labelKey()).isNull();
    }

    @Test
    void aLinkKeepsTheFiltersAndMovesTheCursor() {
        JobFilter filter = JobFilter.of(Form.parse("queue=a&label=rack%3Dr+1&before=9"));

        assertThat(filter.link(5L)).isEqualTo("?queue=a&label=rack%3Dr+1&before=5");
        assertThat(filter.link(null)).isEqualTo("?queue=a&label=rack%3Dr+1");
    }

    @Test
    void badFieldsNameTheFieldAndTheRule() {
        assertThatThrownBy(() -> JobFilter.of(Form.parse("state=bogus")).toQuery())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("state");
        assertThatThrownBy(() -> JobFilter.of(Form.parse("from=yesterday")).toQuery())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> JobFilter.of(Form.parse("before=x")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("before");
        assertThatThrownBy(() -> JobFilter.of(Form.parse("queue=Bad%20Name")).toQuery())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("queue");
        assertThatThrownBy(() -> Form.parse("queue=%zz"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("URL encoding");
    }
}
